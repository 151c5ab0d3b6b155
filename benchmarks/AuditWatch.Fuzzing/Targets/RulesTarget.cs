using System.Text;
using AuditWatch.Rules.Loading;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>A native rules file through the loader (lists, conditions, regexes, tests), decoded as File.ReadAllText does.</summary>
public sealed class RulesTarget : IFuzzTarget
{
    public string Name => "rules";

    public InputDialect Dialect => InputDialect.Yaml;

    public long AllocationBudget(byte[] input) => AllocationBudgets.Yaml(input);

    public void Run(byte[] input)
    {
        var set = RuleSetLoader.Load([("fuzz.yaml", Encoding.UTF8.GetString(input))]);
        RuleErrorsCheck.Check(set.Errors);
    }
}
