using System.Text;

namespace AuditWatch.Fuzzing.Mutation;

/// <summary>The structural tokens, field names and odd values the mutator splices into JSON and YAML inputs.</summary>
internal static class MutationTokens
{
    public static readonly byte[][] JsonTokens = Utf8(
        "{", "}", "[", "]", "\"", "\\", "\\u", "\\ud800", ":", ",", "\n", "\r\n", " ", "null", "true", "\uFEFF",
        "{\"kind\":\"EventList\",\"items\":[", "\"items\":[", "]}", "\"apiVersion\":\"audit.k8s.io/v1\",", "\"kind\":\"Event\",",
        "\"awslogs\":", "\"protoPayload\":", "\"records\":", "\"logEvents\":", "\n{", "\n[", "[{", "}{", "},{");

    public static readonly string[] JsonKeys =
    [
        "kind", "apiVersion", "auditID", "stage", "verb", "user", "username", "groups", "extra", "uid", "impersonatedUser",
        "sourceIPs", "objectRef", "resource", "namespace", "name", "subresource", "responseStatus", "code", "annotations",
        "requestReceivedTimestamp", "stageTimestamp", "timestamp", "requestObject", "responseObject", "userAgent",
        "awslogs", "data", "logEvents", "message", "messageType", "records", "properties", "log", "category",
        "protoPayload", "serviceName", "methodName", "resourceName", "authenticationInfo", "principalEmail", "status",
        "authorizationInfo", "granted", "requestMetadata", "callerIp", "operation", "id", "items", "roleRef",
        "subjects", "rules", "secretName", "secretKeyRef", "apiGroups", "resources", "verbs",
        "audit.watch/secret-payload", "authorization.k8s.io/decision",
    ];

    public static readonly string[] JsonValues =
    [
        "1", "-1", "0", "1e400", "-1e-400", "99999999999999999999999", "2147483648", "true", "false", "null", "\"\"",
        "\"x\"", "[]", "{}", "[1]", "[null]", "{\"a\":{}}", "[[[]]]", "\"2024-13-45T99:99:99Z\"",
        "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"CONTROL_MESSAGE\"", "\"kube-audit\"",
        "\"H4sIAAAAAAAA\"", "\"!!notbase64\"", "\"secrets\"", "\"Event\"", "\"EventList\"", "\"ResponseComplete\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"core/v1/namespaces/a/secrets/b/c/d/e\"", "\"a.b.c.\"",
    ];

    public static readonly byte[][] YamlTokens = Utf8(
        "&a ", "*a", "!!binary ", "!!int ", "!custom ", "? ", "- ", ": ", "{", "}", "[", "]", "|", ">", "|-\n", "\t",
        "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "# ", "'", "\"", "\\", "\n", "\n  ", "<<: *a\n", "~",
        "$", "*", ",", "\r", "\uFEFF", "\u2028");

    public static readonly string[] YamlKeys =
    [
        "id", "title", "description", "severity", "kind", "enabled", "labels", "runbook", "where", "except", "group_by",
        "suppress", "escalate", "tests", "lists", "window", "threshold", "count_distinct", "key", "learn", "steps",
        "baseline", "factor", "min_count", "all", "any", "not", "field", "equals", "in", "glob", "regex", "prefix",
        "suffix", "contains", "cidr", "gt", "gte", "lt", "lte", "exists", "equals_field", "count_at_least", "name",
        "events", "expect", "incidents", "logsource", "product", "service", "detection", "condition", "selection",
        "filter", "correlation", "type", "rules", "group-by", "timespan", "level", "status", "generate", "fields",
        "verb|contains", "objectRef.resource|re", "sourceIPs|cidr", "user.username|all", "verb|windash",
        "requestURI|base64offset|contains", "verb|startswith|endswith", "rule",
    ];

    public static readonly string[] YamlValues =
    [
        "[", "{a: b}", "- x", "*", "(a", "1 of them", "all of sel*", "not not not x", "((((((x", ")", "| count() > 5",
        "sel and", "or sel", "near x", "9999999999999999999", "-1", "0", "1e400", "NaN", ".inf", "0x10", "'", "\"\\u\"",
        "a{1000}{1000}", "(a|aa)*$", "(?<=x)y", "[z-a]", "1h99999999d", "99999999999d", "-5m", "0s", "0.0.0.0/99",
        "::/129", "$nosuchlist", "$", "critical", "first_seen", "spike", "sequence", "distinct", "threshold", "null",
        "~", "true", "yes", "\"\"", "[]", "{}", "\"*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?\"", "[a, [b, [c]]]",
    ];

    private static byte[][] Utf8(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];
}
