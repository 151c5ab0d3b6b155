using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Detection.Tests.Builders;

/// <summary>Sigma rule files loaded through the real Sigma loader.</summary>
internal static class SigmaRules
{
    public const string LogSource = "logsource: { product: kubernetes, service: audit }";

    public static IReadOnlyList<Rule> Load(params (string Path, string Text)[] files)
    {
        var errors = new List<RuleError>();
        var rules = SigmaLoader.Load(files, [], errors);
        Assert.Empty(errors.Select(e => e.ToString()));
        return rules;
    }
}
