using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Debugging;

[NonParallelizable]
public class DelveTracerTests
{
    [Test]
    public async Task Traces_the_handler_with_its_arguments_for_the_duration_and_leaves_nothing_running()
    {
        var app = await SampleBinaries.DebugAppAsync();
        using var dir = new TempDir("trace");
        var port = Ports.Free();
        var log = new RecordingLog();
        var dlv = new DelveResult(RealTools.FindDlv(), "real", SupportsGoVersion: false, DelveSource.Existing);
        var trace = DelveTracer.RunAsync(
            new DelveTraceSettings { Program = app, Pattern = "main\\.handleSum", ProgramArguments = ["-addr", $"127.0.0.1:{port}"], Duration = TimeSpan.FromSeconds(20), OutputDirectory = dir.Path },
            dlv,
            GoDebugHost.Create(log),
            CancellationToken.None);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? answer = null;
        for (var i = 0; i < 300 && answer is null && !trace.IsCompleted; i++)
        {
            try
            {
                answer = await http.GetStringAsync($"http://127.0.0.1:{port}/sum?values=4,5");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(50);
            }
        }

        Assert.That(answer, Does.Contain("\"sum\":9"));
        var file = await trace;
        Assert.That(file, Does.StartWith(dir.Path).And.EndWith(".txt"));
        var text = await File.ReadAllTextAsync(file);
        Assert.That(text, Does.Contain("main.handleSum(").And.Contain("> goroutine("), "the call was traced:\n" + text);
        Assert.That(log.Text, Does.Contain("20 s elapsed").And.Contain("1 call(s)"));
        Assert.That(Ports.Accepts(port), Is.False, "the traced program is gone");
    }

    [Test]
    public void A_bad_pattern_is_named_before_anything_runs()
    {
        var dlv = new DelveResult("/usr/bin/dlv", "real", SupportsGoVersion: false, DelveSource.Existing);
        Assert.That(
            async () => await DelveTracer.RunAsync(new DelveTraceSettings { Program = "/bin/true", Pattern = "main.(" }, dlv, GoDebugHost.Create(new RecordingLog()), CancellationToken.None),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("'main.('"));
    }
}
