using AuditWatch.Core.Events;

namespace AuditWatch.Detection.Tests.Builders;

/// <summary>Builds decoded audit events for tests; defaults describe an allowed Secret get by a person.</summary>
internal static class AuditEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static int _next;

    public static AuditEvent SecretGet(
        string user,
        string ns,
        string name,
        DateTimeOffset time,
        int code = 200,
        AuditStage stage = AuditStage.ResponseComplete,
        string? auditId = null) => new()
        {
            AuditId = auditId ?? NextUuid(),
            Stage = stage,
            Verb = "get",
            RequestUri = $"/api/v1/namespaces/{ns}/secrets/{name}",
            User = UserInfo.Named(user),
            SourceIps = ["10.0.0.1"],
            UserAgent = "kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819",
            ObjectRef = new ObjectReference("secrets", ns, name, null, "v1", null),
            ResponseCode = stage == AuditStage.RequestReceived ? null : code,
            RequestReceivedTimestamp = time,
            StageTimestamp = time.AddMilliseconds(2),
        };

    // In the apiserver's form, as nearly every real audit ID is: tests that need one of another kind pass it.
    private static string NextUuid() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref _next):x12}";
}
