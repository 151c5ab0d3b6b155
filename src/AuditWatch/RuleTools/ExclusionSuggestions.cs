using System.Globalization;
using AuditWatch.Core.Alerts;
using AuditWatch.Core.Requests;
using AuditWatch.Rules.Model;

namespace AuditWatch.RuleTools;

/// <summary>
/// For identities behind at least half of a rule's incidents: the identity AND whatever evidence all its requests share
/// (user agent, pod-name prefix, namespace, source range, object pattern), ready to paste into the rule's own format:
/// an <c>except:</c> entry for a native rule, a filter selection for a Sigma rule.
/// </summary>
internal static class ExclusionSuggestions
{
    private const double DominantShare = 0.5;

    private sealed record Evidence(string Field, string Operator, string Value, string SigmaKey);

    public static List<string> For(Rule rule, List<Alert> incidents, List<ApiRequest> requests)
    {
        var exclusions = new List<string>();
        var dominant = incidents.GroupBy(i => i.User).Where(g => g.Count() >= Math.Max(1, incidents.Count * DominantShare)).Select(g => g.Key);
        foreach (var (user, index) in dominant.Select((u, i) => (u, i + 1)))
        {
            var own = requests.Where(r => r.Identity.Username == user).ToList();
            var evidence = new List<Evidence>();
            AddIfShared(evidence, own, r => r.UserAgentProduct, "user_agent.product", "equals", "user_agent.product");
            AddIfShared(evidence, own, r => r.Identity.PodNameClaim is { } pod ? PodPrefix(pod) : null, "user.pod", "prefix", "user.pod|startswith");
            AddIfShared(evidence, own, r => r.Namespace, "namespace", "equals", "objectRef.namespace");
            AddIfShared(evidence, own, r => r.SourceIps.Count > 0 ? Range(r.SourceIps[0]) : null, "source_ip", "cidr", "sourceIPs|cidr");
            AddIfShared(evidence, own, r => r.SecretRead?.Name is { } name ? NamePattern(name) : null, "secret.name", "glob", "objectRef.name");
            if (evidence.Count == 0)
            {
                exclusions.Add($"# {user}: its requests share no user agent, pod, namespace, source range or object pattern in this log;\n# excluding the identity alone would hide a stolen credential, so no exclusion is suggested.");
                continue;
            }

            var header = $"# {user}: {incidents.Count(i => i.User == user)} of {incidents.Count} incidents";
            exclusions.Add(rule.Format == RuleFormat.Sigma ? Sigma(rule, header, user, evidence, index) : Native(header, user, evidence));
        }

        return exclusions;
    }

    private static string Native(string header, string user, List<Evidence> evidence) => string.Join("\n", new[]
    {
        header,
        "- all:",
        $"    - {{ field: user, equals: {YamlString(user)} }}",
    }.Concat(evidence.Select(e => $"    - {{ field: {e.Field}, {e.Operator}: {YamlString(e.Value)} }}")));

    /// <summary>
    /// A Sigma filter selection. Values are escaped for Sigma's wildcards except the object pattern's own trailing
    /// <c>*</c>; fields without a Sigma audit name (user agent product, pod claim) use AuditWatch's field names.
    /// </summary>
    private static string Sigma(Rule rule, string header, string user, List<Evidence> evidence, int index)
    {
        var name = $"filter_tuned_{index}";
        var target = rule.Kind == RuleKind.Match ? "this rule's detection:" : "detection: of the rule(s) this correlation names";
        return string.Join("\n", new[]
        {
            header,
            $"# paste under {target}, then append 'and not {name}' to its condition",
            $"{name}:",
            $"    user.username: {YamlString(SigmaEscape(user))}",
        }.Concat(evidence.Select(e => $"    {e.SigmaKey}: {YamlString(e.Field == "secret.name" ? SigmaEscape(e.Value[..^1]) + "*" : SigmaEscape(e.Value))}")));
    }

    private static string SigmaEscape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal).Replace("?", "\\?", StringComparison.Ordinal);

    private static void AddIfShared(List<Evidence> evidence, List<ApiRequest> requests, Func<ApiRequest, string?> value, string field, string op, string sigmaKey)
    {
        var values = requests.Select(value).Distinct(StringComparer.Ordinal).ToList();
        if (values is [{ } shared] && shared.Length > 0)
        {
            evidence.Add(new Evidence(field, op, shared, sigmaKey));
        }
    }

    /// <summary>A double-quoted YAML scalar: the value comes from the log, so quotes, backslashes and line breaks are escaped.</summary>
    private static string YamlString(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";

    /// <summary>web-7c9f8d-x2x → web- (the ReplicaSet hash and pod suffix vary).</summary>
    private static string? PodPrefix(string pod)
    {
        var parts = pod.Split('-');
        return parts.Length > 2 ? string.Join("-", parts[..^2]) + "-" : null;
    }

    private static string? Range(string ip) =>
        System.Net.IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? string.Create(CultureInfo.InvariantCulture, $"{string.Join('.', ip.Split('.')[..3])}.0/24")
            : null;

    /// <summary>sh.helm.release.v1.web.v3 → sh.helm.release.v1.*: up to the first digit-bearing segment.</summary>
    private static string? NamePattern(string name)
    {
        var cut = name.IndexOfAny("0123456789".ToCharArray());
        return cut > 3 ? name[..cut] + "*" : null;
    }
}
