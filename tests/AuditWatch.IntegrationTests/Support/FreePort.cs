using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// Loopback ports for the services a test starts, taken below the kernel's ephemeral range. A port the kernel chose
/// (a bind to port 0) comes from that range, which it also hands to outgoing connections: between being chosen here
/// and being bound by the service it was once given to a client socket, and the service failed with "address already
/// in use". Below the range only an explicit bind can take a port, and this hands each out once per test run.
/// </summary>
internal static class FreePort
{
    private const int RangeSize = 10_000;

    private static readonly int Low = Math.Max(1024, EphemeralLow() - RangeSize);
    private static readonly int High = EphemeralLow();
    private static int _handedOut = Random.Shared.Next(RangeSize);

    public static int Next()
    {
        for (var attempt = 0; attempt < High - Low; attempt++)
        {
            var port = Low + (int)((uint)Interlocked.Increment(ref _handedOut) % (uint)(High - Low));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port in {Low}-{High - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralLow()
    {
        // "32768\t60999" on Linux by default.
        const string Path = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(Path) && int.TryParse(File.ReadAllText(Path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low) && low > 1024 + 1000
            ? low
            : 32768;
    }
}
