namespace AuditWatch.Detection.Normalize;

/// <summary>The product token of a user agent: "kubectl/v1.29.0 (linux/amd64) kubernetes/abc" is "kubectl".</summary>
public static class UserAgentProduct
{
    public static string? Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        var span = userAgent.AsSpan().Trim();
        var end = span.IndexOfAny('/', ' ');
        return (end < 0 ? span : span[..end]).ToString();
    }
}
