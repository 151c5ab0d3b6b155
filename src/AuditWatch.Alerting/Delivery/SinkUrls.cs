using System.Net;

namespace AuditWatch.Alerting.Delivery;

/// <summary>Endpoint URLs of sinks: https anywhere, plain http only to a loopback address.</summary>
public static class SinkUrls
{
    public static Uri? Check(string url, string setting, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors.Add($"{setting}: '{url}' is not an http(s) URL");
            return null;
        }

        if (uri.Scheme == "http" && !IsLoopback(uri.Host))
        {
            errors.Add($"{setting}: plain http is allowed only to a loopback address, not {uri.Host}; use https");
            return null;
        }

        return uri;
    }

    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
