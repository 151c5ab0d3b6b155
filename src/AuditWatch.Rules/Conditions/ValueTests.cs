using System.Globalization;
using System.Net;

namespace AuditWatch.Rules.Conditions;

/// <summary>Value tests shared by native and Sigma conditions: numeric comparisons and CIDR ranges.</summary>
internal static class ValueTests
{
    public static Func<string, bool>? Comparison(string op, string limitText)
    {
        if (!double.TryParse(limitText, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit))
        {
            return null;
        }

        Func<double, bool> compare = op switch
        {
            "gt" => v => v > limit,
            "gte" => v => v >= limit,
            "lt" => v => v < limit,
            _ => v => v <= limit,
        };
        return v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && compare(n);
    }

    /// <summary>A test for addresses within any of the ranges, or the first value that is not a range.</summary>
    public static (Func<string, bool>? Test, string? Invalid) Cidr(IEnumerable<string> ranges)
    {
        var networks = new List<IPNetwork>();
        foreach (var value in ranges)
        {
            if (IPNetwork.TryParse(value, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(value, out var single))
            {
                networks.Add(new IPNetwork(single, single.GetAddressBytes().Length * 8));
            }
            else
            {
                return (null, value);
            }
        }

        return (v => IPAddress.TryParse(v, out var address) && networks.Any(n => n.Contains(Unmap(address))), null);
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
