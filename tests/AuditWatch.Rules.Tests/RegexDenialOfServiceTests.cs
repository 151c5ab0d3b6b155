using System.Text.RegularExpressions;
using AuditWatch.Core.Events;
using AuditWatch.Core.Requests;
using AuditWatch.Detection.Normalize;
using AuditWatch.Rules.Conditions;
using AuditWatch.Rules.Loading;
using AuditWatch.Rules.Model;
using AuditWatch.Rules.Sigma;

namespace AuditWatch.Rules.Tests;

/// <summary>
/// A catastrophic pattern on a long hostile value, in a native rule and in a Sigma <c>|re</c>: no evaluation runs into
/// the regex timeout (the engine does not backtrack), and the following requests are still judged.
/// </summary>
/// <remarks>Alone, because the timeout count is process-wide.</remarks>
[Collection(RegexTimeoutCount.Name)]
public sealed class RegexDenialOfServiceTests
{
    private static readonly string Hostile = new string('a', 50_000) + "!";

    private static ApiRequest Request(string userAgent) => RequestNormalizer.Normalize(new AuditEvent
    {
        AuditId = "a",
        Stage = AuditStage.ResponseComplete,
        Verb = "get",
        RequestUri = "/api/v1/namespaces/payments/secrets/s",
        User = new UserInfo("mallory", null, [], new Dictionary<string, IReadOnlyList<string>>()),
        UserAgent = userAgent,
        ObjectRef = new ObjectReference("secrets", "payments", "s", null, "v1", null),
        ResponseCode = 200,
        StageTimestamp = DateTimeOffset.UnixEpoch,
    });

    private static Rule Native()
    {
        var set = RuleSetLoader.Load([("r.yaml", "id: r\ntitle: T\nseverity: low\nwhere: { field: user_agent, regex: \"^(a+)+$|^python\" }\n")]);
        Assert.Empty(set.Errors);
        return Assert.Single(set.Rules);
    }

    private static Rule Sigma()
    {
        var errors = new List<RuleError>();
        var rules = SigmaLoader.Load([("t.yml", "title: T\nid: t-1\nlogsource: { product: kubernetes, service: audit }\ndetection:\n    selection:\n        userAgent|re: '^(a+)+$|^python'\n    condition: selection\nlevel: low\n")], [], errors);
        Assert.Empty(errors);
        return Assert.Single(rules);
    }

    public static TheoryData<string> Kinds => ["native", "sigma"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_catastrophic_pattern_on_a_long_value_never_times_out_and_the_stream_goes_on(string kind)
    {
        var rule = kind == "native" ? Native() : Sigma();
        var hostile = Request(Hostile);
        var timeoutsBefore = RegexTimeouts.Count;

        for (var i = 0; i < 50; i++)
        {
            Assert.False(rule.Applies(hostile));
        }

        // A backtracking engine runs into the 100 ms timeout on every one of the 50 evaluations. A few may time out
        // here too when a busy machine deschedules the thread mid-match for that long.
        Assert.InRange(RegexTimeouts.Count - timeoutsBefore, 0, 5);
        Assert.True(rule.Applies(Request("python-requests/2.31.0")));
    }

    [Fact]
    public void A_timeout_counts_as_no_match_and_is_counted()
    {
        var backtracking = new Regex("^(a+)+$", RegexOptions.None, TimeSpan.FromMilliseconds(1));
        var before = RegexTimeouts.Count;

        Assert.False(SafeRegex.IsMatch(backtracking, new string('a', 40) + "!"));

        Assert.True(RegexTimeouts.Count > before);
    }
}
