using AuditWatch.Rules.Loading;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Yaml;

/// <summary>Collects every error of one file, each at the line and column of the node it is about.</summary>
internal sealed class Diagnostics(string file, List<RuleError> errors)
{
    public string File => file;

    public int Count => errors.Count;

    public void Add(YamlNode node, string message) =>
        errors.Add(new RuleError(file, node.Start.Line, node.Start.Column, message));

    public void Add(long line, long column, string message) =>
        errors.Add(new RuleError(file, line, column, message));
}
