using System.Net;
using System.Net.Sockets;

namespace GoDebug.Tasks.Tests.Infrastructure;

internal static class Ports
{
    private const int LowestPort = 10000;

    private static readonly List<Socket> Reservations = [];

    /// <summary>
    /// A loopback port for a process the test starts (dlv, the app) to listen on. Nothing can hold it open for
    /// that process, so nothing else may take it between this call and that bind: it lies below the kernel's
    /// ephemeral range (never handed to an outgoing connection or a port-0 listener), no other caller in this or
    /// any other test run on the machine gets it (a reservation held until this process exits), and nothing
    /// listened on it when checked.
    /// </summary>
    public static int Free()
    {
        var ephemeralLow = EphemeralRangeStart();
        var count = ephemeralLow - LowestPort;
        var start = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var port = LowestPort + ((start + i) % count);
            if (Reserve(port) && CanListen(port)) return port;
        }

        throw new AssertionException($"No loopback port between {LowestPort} and {ephemeralLow} is free.");
    }

    /// <summary>Linux's /proc/sys/net/ipv4/ip_local_port_range (32768 by default).</summary>
    private static int EphemeralRangeStart()
    {
        const string file = "/proc/sys/net/ipv4/ip_local_port_range";
        var low = int.Parse(File.ReadAllText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(low, Is.GreaterThan(LowestPort + 1000), $"{file} starts at {low}, leaving no ports below it for tests");
        return low;
    }

    /// <summary>An abstract Unix socket named after the port: one owner machine-wide, released when its process ends, no file left behind.</summary>
    private static bool Reserve(int port)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint($"\0godebug-tasks-tests-port-{port}"));
        }
        catch (SocketException)
        {
            socket.Dispose();
            return false;
        }

        lock (Reservations) { Reservations.Add(socket); }
        return true;
    }

    private static bool CanListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>True once nothing accepts on <paramref name="port"/>; a killed process's socket closes a moment after it dies.</summary>
    public static async Task<bool> ClosesWithinAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Accepts(port))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }

        return true;
    }

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
