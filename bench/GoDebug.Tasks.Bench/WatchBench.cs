using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Hot reload of the sample app, each edit beside its lower bound in the same run: under Watch, save to
/// the new answer against plain <c>go build</c> + start + first answer (the reload under dlv is <see cref="DebugBench"/>).
/// And the watcher on a generated 2,000-module tree: inotify instances, memory and time until it watches.
/// </summary>
internal sealed class WatchBench : IBenchmark
{
    private const int WatchEdits = 11;
    private const int TreeModules = 2000;
    // A new connection per request: a pooled one may point at the process just stopped and wait out a timeout.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(1), DefaultRequestHeaders = { ConnectionClose = true } };

    public string Name => "watch";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var go = await GoTool.FromExecutableAsync(context.GoExecutable, cancellationToken).ConfigureAwait(false);
        var rows = new List<BenchRow>
        {
            await ReloadAsync(context, go, WatchEdits, cancellationToken).ConfigureAwait(false),
        };
        rows.AddRange(await TreeAsync(context, cancellationToken).ConfigureAwait(false));
        return rows;
    }

    private static async Task<BenchRow> ReloadAsync(BenchContext context, GoTool go, int edits, CancellationToken cancellationToken)
    {
        const string name = "watch";
        var ours = Copy(Path.Combine(context.RepositoryRoot, "samples", "workspace"), Path.Combine(context.ScratchDirectory, name, "ours"));
        var plain = Copy(Path.Combine(context.RepositoryRoot, "samples", "workspace"), Path.Combine(context.ScratchDirectory, name, "plain"));
        var port = FreePort();
        var log = NewLog();
        var host = GoDebugHost.Create(log) with { Environment = EnvironmentSnapshot.Capture().With("APP_ADDR", $"127.0.0.1:{port}") };
        var settings = new GoWatchSettings { Build = new GoBuildSettings { Workspace = ours } };
        var loop = new GoWatchLoop(settings, go, host, new ProgramSupervisor(settings, host));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token), cancellationToken);
        Console.WriteLine($"  {name}: first build and start ...");
        await loop.WhenReadyAsync(1, cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);

        var oursMs = new List<double>();
        var plainMs = new List<double>();
        var plainPort = FreePort();
        try
        {
            for (var i = 0; i < edits; i++)
            {
                var word = $"{name}{i}";
                var sw = Stopwatch.StartNew();
                Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff} edit");
                File.WriteAllText(Path.Combine(ours, "module-a", "greet.go"), Greeting(word));
                // Poll HTTP only once the engine says ready: polling through the build would load the two
                // cores the build needs, which the baseline (polling after its build) does not pay.
                await loop.WhenReadyAsync(i + 2, cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
                await AnswerAsync(port, word + ", b", TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
                oursMs.Add(sw.Elapsed.TotalMilliseconds);

                File.WriteAllText(Path.Combine(plain, "module-a", "greet.go"), Greeting(word));
                plainMs.Add(await PlainAsync(go, plain, plainPort, word + ", b", null, cancellationToken).ConfigureAwait(false));
                Console.WriteLine($"  {name} edit {i}: ours {oursMs[^1]:0} ms, plain {plainMs[^1]:0} ms; {log.Lines.LastOrDefault(l => l.Message.Contains(" in ", StringComparison.Ordinal) && l.Message.Contains(" ms", StringComparison.Ordinal)).Message}");
                foreach (var warning in log.Lines.Where(l => l.Level is "warning" or "error")) Console.WriteLine("    " + warning.Message);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // How the loop ends.
            }
        }

        const string baseline = "go build + start + first answer";
        // Each edit's baseline runs right after it, so the per-edit difference cancels most of the build's own variance.
        var overhead = Median(oursMs.Zip(plainMs, (o, p) => o - p).ToList());
        return new BenchRow(name, $"save to new answer, median of {edits} edits", Median(oursMs), Median(plainMs), $"baseline: {baseline} (same run); median per-edit overhead {overhead:+0;-0} ms");
    }

    /// <summary>The lower bound: build the app, start it (under a fresh dlv when given), wait for its first answer, stop it.</summary>
    internal static async Task<double> PlainAsync(GoTool go, string workspace, int port, string expected, DelveResult? dlv, CancellationToken cancellationToken)
    {
        var binary = Path.Combine(workspace, "app-plain");
        var sw = Stopwatch.StartNew();
        (await ProcessRunner.Default.RunAsync(go.Command(["build", "-gcflags=all=-N -l", "-o", binary, "."], Path.Combine(workspace, "app")), cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        using var kill = new CancellationTokenSource();
        var spec = dlv is null
            ? new ProcessSpec(binary, ["-addr", $"127.0.0.1:{port}"])
            : new ProcessSpec(dlv.DlvExecutable, ["exec", binary, "--headless", "--api-version=2", "--accept-multiclient", $"--listen=127.0.0.1:{FreePort()}", "--continue", .. dlv.CompatibilityArguments, "--", "-addr", $"127.0.0.1:{port}"]);
        var running = ProcessRunner.Default.RunAsync(spec, kill.Token);
        try
        {
            await AnswerAsync(port, expected, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            return sw.Elapsed.TotalMilliseconds;
        }
        finally
        {
            await kill.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Killed.
            }

            while (ProcessTable.StillListening(new HashSet<int> { port }).Count > 0) await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<BenchRow>> TreeAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(context.ScratchDirectory, "tree");
        WorkspaceTreeGenerator.Generate(root, TreeModules);
        var directories = Directory.GetDirectories(root, "*", SearchOption.AllDirectories).Length;
        GC.Collect();
        var inotifyBefore = InotifyInstances();
        var memoryBefore = Process.GetCurrentProcess().PrivateMemorySize64;
        var sw = Stopwatch.StartNew();
        await using var watcher = new WorkspaceWatcher(new WatchFilter([root], [], []), GoDebugHost.Create(new RecordingLog()), polling: false, TimeSpan.FromSeconds(1));
        watcher.Start();
        var startMs = sw.Elapsed.TotalMilliseconds;
        var instances = InotifyInstances() - inotifyBefore;
        var memory = (Process.GetCurrentProcess().PrivateMemorySize64 - memoryBefore) / 1024.0 / 1024.0;

        // Time until an edit deep in the tree is reported: proves the last folder is watched.
        var deep = Directory.GetFiles(root, "lib.go", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        sw.Restart();
        File.AppendAllText(deep, "// edit\n");
        while (!(await watcher.Changes.ReadAsync(cancellationToken).ConfigureAwait(false)).Path.Equals(deep, StringComparison.Ordinal))
        {
        }

        var eventMs = sw.Elapsed.TotalMilliseconds;
        return
        [
            new BenchRow("watch", $"start watching {TreeModules} modules ({directories} folders)", startMs, null, $"{instances} inotify instance(s) (goal: 1 per root); +{memory:0.0} MiB private memory"),
            new BenchRow("watch", "edit in the last module to event", eventMs, null, "one recursive watcher, no per-module instance"),
        ];
    }

    internal static async Task AnswerAsync(int port, string expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var body = await Http.GetFromJsonAsync<JsonObject>($"http://127.0.0.1:{port}/hello?name=b", cancellationToken).ConfigureAwait(false);
                if (body?["message"]?.GetValue<string>() == expected) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet (or between processes).
            }

            if (deadline.Elapsed > timeout) throw new TimeoutException($"no '{expected}' from port {port} within {timeout}");
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int InotifyInstances()
        => Directory.GetFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == "anon_inode:inotify";
            }
            catch (IOException)
            {
                return false;
            }
        });

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static double Median(List<double> samples)
    {
        samples.Sort();
        return samples[samples.Count / 2];
    }

    internal static string Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        foreach (var dir in Directory.GetDirectories(from).Where(d => !Path.GetFileName(d).StartsWith('.')))
        {
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
        }

        return to;
    }

    internal static string Greeting(string word)
        => $"package greet\n\nimport \"strings\"\n\n// Hello greets name.\nfunc Hello(name string) string {{\n\tname = strings.TrimSpace(name)\n\tif name == \"\" {{\n\t\tname = \"world\"\n\t}}\n\treturn \"{word}, \" + name\n}}\n";

    /// <summary>The engine's log; with GDT_TRACE set it also goes to the console with timestamps, to see where a reload spends its time.</summary>
    internal static RecordingLog NewLog() => new(Environment.GetEnvironmentVariable("GDT_TRACE") is null ? null : new TraceLog());

    private sealed class TraceLog : IGoDebugLog
    {
        public void Verbose(string message) => Write(message);
        public void Info(string message) => Write(message);
        public void Warning(string message) => Write(message);
        public void Error(string message) => Write(message);
        public void Diagnostic(GoDiagnostic diagnostic) => Write(diagnostic.ToString());
        private static void Write(string message) => Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {message}");
    }
}
