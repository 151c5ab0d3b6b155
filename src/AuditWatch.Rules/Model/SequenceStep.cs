using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Fields;

namespace AuditWatch.Rules.Model;

public sealed record SequenceStep(string Name, Condition Where, IReadOnlyList<Field> Key);
