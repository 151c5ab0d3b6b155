using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Testing;
using AuditWatch.Rules.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Sigma;

/// <summary>
/// Builds the Sigma rules of a rules directory's <c>sigma/</c> folder from their texts (<c>*.yml</c>, <c>*.yaml</c>,
/// read by <see cref="RuleSources"/>; a file may hold several documents, as correlation files do) and the test files
/// of <c>sigma/tests/</c>, which attach <c>tests:</c> to a rule by its id so that rules copied from SigmaHQ stay
/// exactly as published.
/// </summary>
public static class SigmaLoader
{
    public const string Folder = "sigma";
    public const string TestsFolder = "tests";

    public static List<Rule> Load(IReadOnlyList<(string Path, string Text)> sources, IReadOnlyList<(string Path, string Text)> testFiles, List<RuleError> errors)
    {
        var diagnostics = new Dictionary<string, Diagnostics>(StringComparer.Ordinal);
        Diagnostics For(string path) => diagnostics.TryGetValue(path, out var d) ? d : diagnostics[path] = new Diagnostics(path, errors);

        var detections = new List<SigmaDetection>();
        var correlations = new List<SigmaCorrelation>();
        var referencedByInvalid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, text) in sources)
        {
            foreach (var root in Documents(text, For(path)))
            {
                switch (new SigmaDocumentReader(path, text, For(path)).Read(root))
                {
                    case SigmaDetection detection:
                        detections.Add(detection);
                        break;
                    case SigmaCorrelation correlation:
                        correlations.Add(correlation);
                        break;
                    case null when root.Get("correlation") is YamlMappingNode broken && broken.Get("rules") is YamlSequenceNode names:
                        // Its errors are reported; the rules it names still do not alert on their own.
                        referencedByInvalid.UnionWith(names.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? string.Empty));
                        break;
                }
            }
        }

        var rules = new SigmaRuleBuilder(For).Build(detections, correlations, referencedByInvalid);
        foreach (var (path, text) in testFiles)
        {
            AttachTests(path, text, rules, For(path));
        }

        return rules;
    }

    private static List<YamlMappingNode> Documents(string text, Diagnostics diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            YamlLimits.Check(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            diagnostics.Add(ex.Start.Line, ex.Start.Column, $"invalid YAML: {ex.Message}");
            return [];
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet's node loader rejects some event sequences its parser accepts; YamlLimits reports those it knows.
            diagnostics.Add(1, 1, $"invalid YAML: {ex.Message}");
            return [];
        }

        var roots = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            if (!PlainDataCheck.Check(document.RootNode, diagnostics))
            {
                continue;
            }

            if (document.RootNode is YamlMappingNode root)
            {
                roots.Add(root);
            }
            else
            {
                diagnostics.Add(document.RootNode, "a Sigma document must be a mapping (title, detection, …)");
            }
        }

        return roots;
    }

    /// <summary>A test file: <c>rule: ID</c> and <c>tests:</c>, in the same form as a native rule's tests.</summary>
    private static void AttachTests(string path, string text, List<Rule> rules, Diagnostics diagnostics)
    {
        foreach (var root in Documents(text, diagnostics))
        {
            root.RejectUnknownKeys(new HashSet<string> { "rule", "tests" }, "a Sigma test file", diagnostics);
            var id = root.Get("rule").Scalar("rule", diagnostics);
            if (id is null || root.Get("tests") is not { } testsNode)
            {
                diagnostics.Add(root, "a Sigma test file needs 'rule' (the id of the rule under test) and 'tests'");
                continue;
            }

            var index = rules.FindIndex(r => r.Id == id);
            if (index < 0)
            {
                diagnostics.Add(root.Get("rule")!, $"no Sigma rule with id '{id}' alerts (a rule a correlation refers to alerts only with generate: true; test the correlation)");
                continue;
            }

            var cases = new TestCaseReader(path, diagnostics).Read(testsNode);
            rules[index] = rules[index] with { Tests = [.. rules[index].Tests, .. cases] };
        }
    }
}
