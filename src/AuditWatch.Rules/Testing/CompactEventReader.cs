using System.Globalization;
using System.Text.RegularExpressions;
using AuditWatch.Core.Events;
using AuditWatch.Rules.Yaml;
using YamlDotNet.RepresentationModel;

namespace AuditWatch.Rules.Testing;

/// <summary>
/// Expands the compact events of a test case (<c>{ user: x, secret: ns/name, repeat: 12, every: 5s }</c>) into
/// audit events, exactly as the decoder would have produced them from the apiserver's JSON.
/// </summary>
internal sealed partial class CompactEventReader(Diagnostics diagnostics)
{
    /// <summary>
    /// Events all the tests of one rule may expand to. Each costs about 4 KB while tests are loaded, so one short
    /// line with a large repeat must not be able to ask for gigabytes; the project's own tests use a few hundred.
    /// </summary>
    public const int MaxEvents = 10_000;

    private static readonly HashSet<string> Keys =
    [
        "user", "groups", "extra", "impersonate", "verb", "secret", "resource", "api_group", "subresource", "namespace",
        "name", "uri", "code", "ip", "agent", "at", "repeat", "every", "pod_secrets", "role_ref", "subjects",
        "grants_secret_read", "payload",
    ];

    private int _sequence;
    private int _expanded;

    public IReadOnlyList<AuditEvent> Read(YamlSequenceNode events, DateTimeOffset start, string caseName)
    {
        var result = new List<AuditEvent>();
        DateTimeOffset? previous = null;
        foreach (var node in events.Children)
        {
            if (node.Mapping("an event", diagnostics) is not { } map)
            {
                continue;
            }

            map.RejectUnknownKeys(Keys, $"an event of test '{caseName}'", diagnostics);
            var repeat = map.Get("repeat").PositiveInteger("repeat", diagnostics) ?? 1;
            if (repeat > MaxEvents - _expanded)
            {
                diagnostics.Add(map.Get("repeat") ?? map, $"the tests of a rule hold at most {MaxEvents} events in all, repeats included");
                continue;
            }

            _expanded += repeat;
            var every = map.Get("every").Duration("every", diagnostics) ?? TimeSpan.FromSeconds(1);
            try
            {
                var first = map.Get("at") is { } at ? start + (Offset(at) ?? TimeSpan.Zero)
                    : previous is { } last ? last + TimeSpan.FromSeconds(1)
                    : start;
                for (var i = 0; i < repeat; i++)
                {
                    var time = first + (every * i);
                    result.Add(Build(map, i, time));
                    previous = time;
                }
            }
            catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
            {
                diagnostics.Add(map, "the event times (start, at, every × repeat) run past the largest date");
            }
        }

        return result;
    }

    private TimeSpan? Offset(YamlNode node)
    {
        var text = node.Scalar("at", diagnostics);
        if (text is not null && text.StartsWith('+') && Durations.TryParse(text[1..], out var offset))
        {
            return offset;
        }

        if (text is not null)
        {
            diagnostics.Add(node, $"at must be an offset from the case start such as +30s, not '{text}'");
        }

        return null;
    }

    private AuditEvent Build(YamlMappingNode map, int index, DateTimeOffset time)
    {
        string? Text(string key) => map.Get(key).Scalar(key, diagnostics) is { } value ? Expand(value, index) : null;
        IReadOnlyList<string> List(string key) => [.. map.Get(key).Scalars(key, diagnostics).Select(v => Expand(v.Value, index))];

        var verb = Text("verb");
        var resource = Text("resource");
        var ns = Text("namespace");
        var name = Text("name");
        if (Text("secret") is { } secret)
        {
            resource = "secrets";
            var slash = secret.IndexOf('/', StringComparison.Ordinal);
            (ns, name) = secret == "*" ? (null, null) : (secret[..Math.Max(slash, 0)], slash < 0 ? null : secret[(slash + 1)..]);
            if (name == "*")
            {
                name = null;
            }

            verb ??= name is null ? "list" : "get";
        }

        verb ??= "get";
        var group = Text("api_group");
        var code = map.Get("code") is { } codeNode
            ? (int.TryParse(codeNode.Scalar("code", diagnostics), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : Invalid(codeNode, "code must be an HTTP status code"))
            : 200;
        var roleRef = Text("role_ref");
        var roleSlash = roleRef?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var user = Text("user") ?? "alice@example.com";

        return new AuditEvent
        {
            AuditId = $"test-{++_sequence}",
            Stage = AuditStage.ResponseComplete,
            Level = "Metadata",
            Verb = verb,
            RequestUri = Text("uri") ?? Uri(group, ns, resource, name),
            User = new UserInfo(user, null, List("groups"), Extra(map.Get("extra"))),
            ImpersonatedUser = Text("impersonate") is { } impersonated ? UserInfo.Named(impersonated) : null,
            SourceIps = map.Get("ip") is null ? ["10.0.0.1"] : List("ip"),
            UserAgent = Text("agent") ?? "kubectl/v1.31.0 (linux/amd64) kubernetes/9e1c3a4",
            ObjectRef = resource is null ? null : new ObjectReference(resource, ns, name, group, "v1", Text("subresource")),
            ResponseCode = code,
            AuthorizationDecision = code == 403 ? "forbid" : "allow",
            RequestReceivedTimestamp = time,
            StageTimestamp = time.AddMilliseconds(1),
            SecretPayload = map.Get("payload").Boolean("payload", diagnostics) == true ? SecretPayload.ResponseObject : SecretPayload.None,
            RequestFacts = new ObjectFacts(
                List("pod_secrets"),
                roleSlash > 0 ? roleRef![..roleSlash] : null,
                roleSlash > 0 ? roleRef![(roleSlash + 1)..] : null,
                List("subjects"),
                map.Get("grants_secret_read").Boolean("grants_secret_read", diagnostics) == true),
        };
    }

    private int Invalid(YamlNode node, string message)
    {
        diagnostics.Add(node, message);
        return 0;
    }

    private IReadOnlyDictionary<string, IReadOnlyList<string>> Extra(YamlNode? node)
    {
        if (node.Mapping("extra", diagnostics) is not { } map)
        {
            return UserInfo.NoExtra;
        }

        return map.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? string.Empty,
            pair => (IReadOnlyList<string>)[.. pair.Value.Scalars("extra values", diagnostics).Select(v => v.Value)],
            StringComparer.Ordinal);
    }

    private static string Uri(string? group, string? ns, string? resource, string? name)
    {
        var root = string.IsNullOrEmpty(group) ? "/api/v1" : $"/apis/{group}/v1";
        var path = ns is null ? $"{root}/{resource}" : $"{root}/namespaces/{ns}/{resource}";
        return name is null ? path : $"{path}/{name}";
    }

    /// <summary>Replaces <c>{i}</c> with the repetition index and <c>{i%N}</c> with it modulo N.</summary>
    private static string Expand(string text, int index) => IndexPattern().Replace(text, match =>
        match.Groups["mod"].Success
            ? (index % int.Parse(match.Groups["mod"].Value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)
            : index.ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\{i(%(?<mod>[1-9][0-9]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex IndexPattern();
}
