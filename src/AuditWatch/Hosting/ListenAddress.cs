using System.Net;

namespace AuditWatch.Hosting;

/// <summary>One <c>--urls</c> entry, parsed: scheme, address and port.</summary>
public sealed record ListenAddress(string Url, bool Https, IPAddress? Address, string Host, int Port)
{
    public const string Default = "http://127.0.0.1:8080";

    public bool IsLoopback => Host == "localhost" || (Address is not null && IPAddress.IsLoopback(Address));

    public static IReadOnlyList<ListenAddress> ParseAll(string? urls, List<string> errors)
    {
        var result = new List<ListenAddress>();
        foreach (var url in (string.IsNullOrWhiteSpace(urls) ? Default : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalized = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !url.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"urls: '{url}' is not an http:// or https:// address with a port");
                continue;
            }

            var host = uri.Host.Trim('[', ']');
            IPAddress.TryParse(host, out var address);
            if (address is null && host != "localhost")
            {
                errors.Add($"urls: '{url}' must name an IP address (or localhost), so that what is exposed is explicit");
                continue;
            }

            result.Add(new ListenAddress(url, uri.Scheme == "https", address, host, uri.Port));
        }

        return result;
    }
}
