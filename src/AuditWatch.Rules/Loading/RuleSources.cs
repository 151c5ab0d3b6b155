using System.Security.Cryptography;
using System.Text;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Loading;

/// <summary>
/// The files of a rules directory, read once: its own <c>*.yaml</c>/<c>*.yml</c> (rules and named lists), the Sigma rules
/// of <c>sigma/</c> and their test files in <c>sigma/tests/</c>. A rule set is loaded from these texts, and their
/// fingerprint tells whether the directory changed, so what is loaded is exactly what was compared.
/// </summary>
public sealed class RuleSources
{
    private readonly IReadOnlyList<(string Path, string Text)> _native;
    private readonly IReadOnlyList<(string Path, string Text)> _sigma;
    private readonly IReadOnlyList<(string Path, string Text)> _sigmaTests;

    private RuleSources(
        string directory,
        bool exists,
        IReadOnlyList<(string Path, string Text)> native,
        IReadOnlyList<(string Path, string Text)> sigma,
        IReadOnlyList<(string Path, string Text)> sigmaTests)
    {
        Root = directory;
        Exists = exists;
        _native = native;
        _sigma = sigma;
        _sigmaTests = sigmaTests;
        Fingerprint = exists ? FingerprintOf([.. native, .. sigma, .. sigmaTests]) : string.Empty;
    }

    /// <summary>The rules directory.</summary>
    public string Root { get; }

    public bool Exists { get; }

    /// <summary>A hash of every file's path and text (empty when the directory does not exist).</summary>
    public string Fingerprint { get; }

    /// <summary>Reads the directory's files; a file that cannot be read throws (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>).</summary>
    public static RuleSources Read(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return new RuleSources(directory, exists: false, [], [], []);
        }

        var sigma = Path.Combine(directory, SigmaLoader.Folder);
        return new RuleSources(
            directory,
            exists: true,
            ReadYamlFiles(directory),
            ReadYamlFiles(sigma),
            ReadYamlFiles(Path.Combine(sigma, SigmaLoader.TestsFolder)));
    }

    /// <summary>The rule set these files hold, with every error found in them.</summary>
    public RuleSet Load()
    {
        var errors = new List<RuleError>();
        if (!Exists)
        {
            errors.Add(new RuleError(Root, 0, 0, "rules directory does not exist"));
            return new RuleSet([], new NamedLists(), errors, []);
        }

        var native = RuleSetLoader.Load(_native, errors);
        var sigma = SigmaLoader.Load(_sigma, _sigmaTests, errors);
        return RuleSetLoader.WithSigma(native, sigma, [.. _sigma.Select(f => f.Path), .. _sigmaTests.Select(f => f.Path)]);
    }

    private static List<(string Path, string Text)> ReadYamlFiles(string directory) => Directory.Exists(directory)
        ? [.. Directory.EnumerateFiles(directory, "*.yaml")
            .Concat(Directory.EnumerateFiles(directory, "*.yml"))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(path)))]
        : [];

    private static string FingerprintOf(IEnumerable<(string Path, string Text)> files)
    {
        var text = new StringBuilder();
        foreach (var (path, content) in files)
        {
            text.Append(path).Append('\n').Append(content).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
