using System.Text;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>A Sigma rules file (several documents allowed: detections and correlations) through the Sigma loader.</summary>
public sealed class SigmaTarget : IFuzzTarget
{
    public string Name => "sigma";

    public InputDialect Dialect => InputDialect.Yaml;

    public long AllocationBudget(byte[] input) => AllocationBudgets.Yaml(input);

    public void Run(byte[] input)
    {
        var errors = new List<RuleError>();
        SigmaLoader.Load([("sigma/fuzz.yml", Encoding.UTF8.GetString(input))], [], errors);
        RuleErrorsCheck.Check(errors);
    }
}
