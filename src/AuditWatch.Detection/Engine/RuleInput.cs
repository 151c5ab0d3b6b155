using AuditWatch.Core.Requests;

namespace AuditWatch.Detection.Engine;

/// <summary>A request a rule applies to, with the group it falls in and, for sequences, the step it matched.</summary>
internal readonly record struct RuleInput(ApiRequest Request, string GroupKey, int Step);
