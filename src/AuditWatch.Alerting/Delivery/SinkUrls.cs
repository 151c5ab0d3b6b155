using System.Net;

namespace AuditWatch.Alerting.Delivery;

/// <summary>Endpoint URLs of sinks: https anywhere, plain http only to a loopback address.</summary>
public static class SinkUrls
{
    public static Uri? Check(string url, string setting, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            // The value is not shown: a Slack webhook URL's path is its credential.
            errors.Add($"{setting} is not an absolute http(s) URL (scheme '{SchemeOf(url)}'; the value is not shown, it may hold a credential)");
            return null;
        }

        if (uri.Scheme == "http" && !IsLoopback(uri.Host))
        {
            errors.Add($"{setting}: plain http is allowed only to a loopback address, not {uri.Host}; use https");
            return null;
        }

        return uri;
    }

    private static string SchemeOf(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        return colon is > 0 and <= 10 && url[..colon].All(char.IsAsciiLetter) ? url[..colon] : string.Empty;
    }

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
