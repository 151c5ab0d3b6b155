namespace AuditWatch.Ingestion.Tests.Decoding;

/// <summary>Small audit events written the way the apiserver writes them.</summary>
internal static class SampleEvents
{
    public static string Get(string auditId, string ns = "default", string name = "db-password", string user = "alice@example.com") =>
        $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{{{auditId}}}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/{{{ns}}}/secrets/{{{name}}}","verb":"get","user":{"username":"{{{user}}}","groups":["system:authenticated"]},"sourceIPs":["10.0.0.1"],"userAgent":"kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819","objectRef":{"resource":"secrets","namespace":"{{{ns}}}","name":"{{{name}}}","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-11-02T10:00:01.123456Z","stageTimestamp":"2026-11-02T10:00:01.125456Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}""";

    /// <summary>The same event as an EventList item: the webhook leaves out kind and apiVersion.</summary>
    public static string Item(string auditId) =>
        Get(auditId).Replace("\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",", string.Empty, StringComparison.Ordinal);

    public static string EventList(params string[] items) =>
        $$$"""{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{{{string.Join(",", items)}}}]}""";
}
