using System.Buffers;
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

        var parsed = networks.ToArray();
        return (v => IPAddress.TryParse(v, out var address) && InAny(Unmap(address), parsed), null);
    }

    // Loops rather than LINQ: these run for every request a rule looks at, and a lambda capturing the value allocates.
    public static bool StartsWithAny(string value, List<string> prefixes)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (value.StartsWith(prefixes[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool EndsWithAny(string value, List<string> suffixes)
    {
        for (var i = 0; i < suffixes.Count; i++)
        {
            if (value.EndsWith(suffixes[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A test for values that contain any of <paramref name="parts"/>: one vectorized pass over the value for all of
    /// them instead of one search per part.
    /// </summary>
    public static Func<string, bool> ContainsAny(List<string> parts)
    {
        // Every value contains the empty string.
        if (parts.Exists(p => p.Length == 0))
        {
            return _ => true;
        }

        var search = SearchValues.Create([.. parts], StringComparison.Ordinal);
        return value => value.AsSpan().ContainsAny(search);
    }

    public static bool MatchesAny(string value, WildcardPattern[] patterns)
    {
        for (var i = 0; i < patterns.Length; i++)
        {
            if (patterns[i].IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InAny(IPAddress address, IPNetwork[] ranges)
    {
        for (var i = 0; i < ranges.Length; i++)
        {
            if (ranges[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Unmap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
