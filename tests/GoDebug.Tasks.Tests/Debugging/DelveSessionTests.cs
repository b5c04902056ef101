using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Debugging;

public class DelveSessionTests
{
    private static DelveResult RealDelve() => new(RealTools.FindDlv(), "real", SupportsGoVersion: false, DelveSource.Existing);

    [Test]
    public async Task Serves_the_app_under_headless_dlv_and_stops_both_on_dispose()
    {
        var app = await SampleBinaries.DebugAppAsync();
        var dlvPort = Ports.Free();
        var appPort = Ports.Free();
        var log = new RecordingLog();
        var settings = new DelveSessionSettings
        {
            Program = app,
            ProgramArguments = ["-addr", $"127.0.0.1:{appPort}"],
            ListenAddress = $"127.0.0.1:{dlvPort}",
        };

        var session = await DelveSession.StartAsync(settings, RealDelve(), log, CancellationToken.None);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            JsonObject? body = null;
            for (var i = 0; i < 100 && body is null; i++)
            {
                try
                {
                    body = await http.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{appPort}/hello?name=dlv");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.That(body?["message"]?.GetValue<string>(), Is.EqualTo("hello, dlv"), "the debuggee runs (--continue) and serves HTTP");

            await using var rpc = await DelveRpcClient.ConnectAsync("127.0.0.1", dlvPort, CancellationToken.None);
            var (version, api) = await rpc.GetVersionAsync(CancellationToken.None);
            Assert.That(api, Is.EqualTo(2));
            Assert.That(version, Is.Not.Empty);
            Assert.That(log.Text, Does.Contain($"dlv ready on 127.0.0.1:{dlvPort}"));
        }
        finally
        {
            await session.DisposeAsync();
        }

        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True, "the debuggee must die with dlv");
        Assert.That(await Ports.ClosesWithinAsync(dlvPort, TimeSpan.FromSeconds(5)), Is.True, "dlv must be gone");
    }

    [Test]
    public async Task Cancelling_RunUntilStopped_ends_the_session_without_an_error()
    {
        var app = await SampleBinaries.DebugAppAsync();
        var dlvPort = Ports.Free();
        var appPort = Ports.Free();
        using var cts = new CancellationTokenSource();
        var log = new RecordingLog();
        var run = DelveSession.RunUntilStoppedAsync(
            new DelveSessionSettings { Program = app, ProgramArguments = ["-addr", $"127.0.0.1:{appPort}"], ListenAddress = $"127.0.0.1:{dlvPort}" },
            RealDelve(),
            log,
            cts.Token);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Ports.Accepts(appPort) && !run.IsCompleted)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "app never listened");
            await Task.Delay(100);
        }

        cts.Cancel();
        Assert.That(await run, Is.Null, "a cancelled session reports no exit code and throws nothing");
        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True);
        Assert.That(log.Text, Does.Contain("Stopping the debug session"));
    }

    [TestCase("0.0.0.0:2345")]
    [TestCase("192.168.1.5:2345")]
    public void Non_loopback_listen_address_is_refused_without_opt_in(string address)
    {
        Assert.That(() => DelveSession.ParseListenAddress(address, allowRemote: false),
            Throws.TypeOf<GoDebugException>().With.Message.Contains(address).And.Message.Contains("not loopback"));
        Assert.That(DelveSession.ParseListenAddress(address, allowRemote: true).Port, Is.EqualTo(2345));
    }

    [TestCase("localhost:99999")]
    [TestCase("2345")]
    [TestCase("dlv.example:2345")]
    public void Malformed_listen_address_names_it(string address)
    {
        Assert.That(() => DelveSession.ParseListenAddress(address, allowRemote: false),
            Throws.TypeOf<GoDebugException>().With.Message.Contains($"'{address}'"));
    }

    [Test]
    public async Task Port_in_use_is_reported_before_dlv_starts()
    {
        var app = await SampleBinaries.DebugAppAsync();
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        Assert.That(
            async () => await DelveSession.StartAsync(new DelveSessionSettings { Program = app, ListenAddress = $"127.0.0.1:{port}" }, RealDelve(), new RecordingLog(), CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains($"Port {port}").And.Message.Contains("in use"));
    }

    [Test]
    public void Missing_program_is_named()
    {
        Assert.That(
            async () => await DelveSession.StartAsync(new DelveSessionSettings { Program = "/nonexistent/app", ListenAddress = "127.0.0.1:1" }, RealDelve(), new RecordingLog(), CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("/nonexistent/app"));
    }
}
