using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Tests.Watching;

/// <summary>A watch loop over a fresh copy of the sample workspace, with the app answering on its own port.</summary>
internal sealed class WatchRun : IAsyncDisposable
{
    private static readonly TimeSpan FirstReady = TimeSpan.FromSeconds(180);
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDir _dir;
    private readonly HashSet<int> _seenProcesses = [];

    private WatchRun(TempDir dir, string workspace, int appPort, RecordingLog log)
    {
        _dir = dir;
        Workspace = workspace;
        AppPort = appPort;
        Log = log;
    }

    public string Workspace { get; }

    public int AppPort { get; }

    public RecordingLog Log { get; }

    public GoWatchLoop Loop { get; private set; } = null!;

    public Task Run { get; private set; } = Task.CompletedTask;

    public GoDebugHost Host { get; private set; } = null!;

    /// <summary>Every process id of ours seen while running (the program, or dlv and each debuggee).</summary>
    public IReadOnlyCollection<int> SeenProcesses => _seenProcesses;

    public static async Task<WatchRun> StartAsync(Func<GoWatchSettings, GoDebugHost, IWatchedProgram>? program = null, Func<GoWatchSettings, GoWatchSettings>? configure = null, Action<string>? writeWorkspace = null)
    {
        var dir = new TempDir("watch");
        var workspace = dir.Combine("ws");
        if (writeWorkspace is null) SampleCopy.Workspace(workspace);
        else writeWorkspace(workspace);
        var run = new WatchRun(dir, workspace, Ports.Free(), new RecordingLog());
        // The app reads its address from APP_ADDR: the engine's environment must reach it.
        run.Host = GoDebugHost.Create(run.Log) with { Environment = EnvironmentSnapshot.Capture().With("APP_ADDR", $"127.0.0.1:{run.AppPort}") };
        var settings = new GoWatchSettings { Build = new GoBuildSettings { Workspace = workspace }, GracePeriod = TimeSpan.FromSeconds(3) };
        settings = configure?.Invoke(settings) ?? settings;
        var watched = program?.Invoke(settings, run.Host) ?? new ProgramSupervisor(settings, run.Host);
        run.Loop = new GoWatchLoop(settings, await RealTools.GoAsync(), run.Host, watched);
        run.Run = Task.Run(() => run.Loop.RunAsync(run._stop.Token));
        await run.WaitReadyAsync(1, FirstReady);
        return run;
    }

    /// <summary>Waits until the program has been ready <paramref name="count"/> times in all.</summary>
    public async Task WaitReadyAsync(int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var ready = Loop.WhenReadyAsync(count, cts.Token);
        var first = await Task.WhenAny(ready, Run);
        if (first == Run) await Run;
        try
        {
            await ready;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"not ready {count} time(s) within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s; log:\n{Log.Text}");
        }

        NoteProcesses();
    }

    public void NoteProcesses()
    {
        foreach (var pid in Loop.ProcessIds) _seenProcesses.Add(pid);
    }

    /// <summary>Waits until the log has a line containing <paramref name="text"/> <paramref name="times"/> times.</summary>
    public async Task WaitForLogAsync(string text, int times = 1, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Log.Lines.Count(l => l.Message.Contains(text, StringComparison.Ordinal)) < times)
        {
            if (Run.IsCompleted) await Run;
            if (DateTime.UtcNow > deadline) Assert.Fail($"no '{text}' x{times} in the log within {seconds} s:\n{Log.Text}");
            await Task.Delay(50);
        }
    }

    public string Write(string relative, string content)
    {
        var path = Path.Combine([Workspace, .. relative.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The app's /hello answer for <paramref name="name"/>.</summary>
    public async Task<string?> HelloAsync(string name)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = await http.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{AppPort}/hello?name={name}");
        return body?["message"]?.GetValue<string>();
    }

    /// <summary>Cancels the watch (as Ctrl+C does) and waits for it to end.</summary>
    public async Task StopAsync()
    {
        NoteProcesses();
        await _stop.CancelAsync();
        try
        {
            await Run;
        }
        catch (OperationCanceledException)
        {
            // How a cancelled loop ends.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        _dir.Dispose();
    }

    public static string Greeting(string word)
        => $"// Package greet builds greetings; the sample's leaf library.\npackage greet\n\nimport \"strings\"\n\n// Hello greets name.\nfunc Hello(name string) string {{\n\tname = strings.TrimSpace(name)\n\tif name == \"\" {{\n\t\tname = \"world\"\n\t}}\n\treturn \"{word}, \" + name\n}}\n";
}
