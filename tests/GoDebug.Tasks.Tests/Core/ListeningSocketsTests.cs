using System.Net;
using System.Net.Sockets;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Tests.Core;

public class ListeningSocketsTests
{
    [Test]
    public void Netlink_lists_the_listeners_with_the_inodes_proc_net_tcp_gives_and_no_connection()
    {
        using var v4 = new TcpListener(IPAddress.Loopback, 0);
        using var v6 = new TcpListener(IPAddress.IPv6Loopback, 0);
        v4.Start();
        v6.Start();
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, ((IPEndPoint)v4.LocalEndpoint).Port);
        using var accepted = v4.AcceptTcpClient();
        var clientPort = ((IPEndPoint)client.Client.LocalEndPoint!).Port;

        var netlink = ListeningSockets.Query();
        var proc = ProcessTable.ProcNetListeners().ToList();

        Assert.That(netlink, Is.Not.Null, "this machine's kernel answers sock_diag");
        Assert.That(netlink!.Select(l => l.Port), Does.Contain(((IPEndPoint)v4.LocalEndpoint).Port).And.Contain(((IPEndPoint)v6.LocalEndpoint).Port));
        Assert.That(netlink.Select(l => l.Port), Does.Not.Contain(clientPort), "an established connection is not a listener");
        // Other processes may open or close listeners between the two reads; ours are stable.
        var ours = new[] { ((IPEndPoint)v4.LocalEndpoint).Port, ((IPEndPoint)v6.LocalEndpoint).Port };
        Assert.That(netlink.Where(l => ours.Contains(l.Port)).Order(), Is.EqualTo(proc.Where(l => ours.Contains(l.Port)).Order()), "the same (port, inode) pairs as /proc/net/tcp and tcp6");
    }

    [Test]
    public void Our_listener_is_found_through_our_own_file_descriptors()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.That(ProcessTable.ListeningPorts([Environment.ProcessId]), Does.Contain(port));
        listener.Stop();
        Assert.That(ProcessTable.StillListening(new HashSet<int> { port }), Is.Empty);
    }
}
