using AuditWatch.Rules.Loading;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>Every rule error must say something and point at a place in the file.</summary>
public static class RuleErrorsCheck
{
    public static void Check(IReadOnlyList<RuleError> errors)
    {
        foreach (var error in errors)
        {
            if (string.IsNullOrWhiteSpace(error.Message) || error.Line < 0 || error.Column < 0)
            {
                throw new FuzzInvariantException($"rule error without a message or a place: {error}");
            }
        }
    }
}
