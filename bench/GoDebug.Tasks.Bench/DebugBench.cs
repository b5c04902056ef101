using System.Diagnostics;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Watching;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Debug save to the new answer, through the endpoint with a fresh dlv per reload, beside its lower bound in the same
/// run: <c>go build -gcflags=all=-N -l</c> + a fresh <c>dlv exec --headless --continue</c> to the first answer, each
/// edit's baseline right after it. One row per dlv: the installed one and the extra one (GDTASKS_DLV_EXTRA, else
/// artifacts/trixie). Goal: ours at most 0.8x the baseline.
/// </summary>
internal sealed class DebugBench : IBenchmark
{
    private const int Edits = 7;

    public string Name => "debug";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var go = await GoTool.FromExecutableAsync(context.GoExecutable, cancellationToken).ConfigureAwait(false);
        var extra = Environment.GetEnvironmentVariable("GDTASKS_DLV_EXTRA") is { Length: > 0 } named ? named : Path.Combine(context.RepositoryRoot, "artifacts", "trixie", "usr", "bin", "dlv");
        var rows = new List<BenchRow>();
        foreach (var dlv in new[] { PathSearch.OnPath("dlv").FirstOrDefault() ?? "/usr/bin/dlv", extra }.Where(File.Exists).Distinct(StringComparer.Ordinal))
        {
            rows.Add(await ReloadAsync(context, go, await DelveAsync(dlv, go, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    private static async Task<DelveResult> DelveAsync(string path, GoTool go, CancellationToken cancellationToken)
    {
        var output = (await ProcessRunner.Default.RunAsync(path, ["version"], null, cancellationToken).ConfigureAwait(false)).EnsureSuccess().StandardOutput;
        var version = DelveInstaller.ParseVersionOutput(output) ?? throw new InvalidOperationException($"{path} printed no version");
        return new DelveResult(path, version.ToString(), DelveInstaller.Supports(version, go.Version), DelveSource.Existing);
    }

    private static async Task<BenchRow> ReloadAsync(BenchContext context, GoTool go, DelveResult dlv, CancellationToken cancellationToken)
    {
        var name = $"dlv-{dlv.Version}";
        var sample = Path.Combine(context.RepositoryRoot, "samples", "workspace");
        var ours = WatchBench.Copy(sample, Path.Combine(context.ScratchDirectory, name, "ours"));
        var plain = WatchBench.Copy(sample, Path.Combine(context.ScratchDirectory, name, "plain"));
        var port = WatchBench.FreePort();
        var log = WatchBench.NewLog();
        var host = GoDebugHost.Create(log) with { Environment = EnvironmentSnapshot.Capture().With("APP_ADDR", $"127.0.0.1:{port}") };
        var settings = new GoWatchSettings { Build = new GoBuildSettings { Workspace = ours } };
        var program = new DelveProgram(settings, new DelveSessionSettings { ListenAddress = $"127.0.0.1:{WatchBench.FreePort()}" }, dlv, host);
        var loop = new GoWatchLoop(settings, go, host, program);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => loop.RunAsync(stop.Token), cancellationToken);
        Console.WriteLine($"  {name}: first build and start ...");
        await loop.WhenReadyAsync(1, cancellationToken).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);

        var oursMs = new List<double>();
        var plainMs = new List<double>();
        var plainPort = WatchBench.FreePort();
        try
        {
            for (var i = 0; i < Edits; i++)
            {
                var word = $"debug{i}";
                var sw = Stopwatch.StartNew();
                File.WriteAllText(Path.Combine(ours, "module-a", "greet.go"), WatchBench.Greeting(word));
                // Poll HTTP only once the engine says ready, as the baseline polls only after its build.
                await loop.WhenReadyAsync(i + 2, cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
                await WatchBench.AnswerAsync(port, word + ", b", TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
                oursMs.Add(sw.Elapsed.TotalMilliseconds);

                File.WriteAllText(Path.Combine(plain, "module-a", "greet.go"), WatchBench.Greeting(word));
                plainMs.Add(await WatchBench.PlainAsync(go, plain, plainPort, word + ", b", dlv, cancellationToken).ConfigureAwait(false));
                Console.WriteLine($"  {name} edit {i}: ours {oursMs[^1]:0} ms, plain {plainMs[^1]:0} ms; {log.Lines.LastOrDefault(l => l.Message.Contains(" reloaded in ", StringComparison.Ordinal)).Message}");
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

        var ratio = WatchBench.Median(oursMs.Zip(plainMs, (o, p) => o / p).ToList());
        return new BenchRow("debug", $"save to new answer under dlv {dlv.Version}, median of {Edits} edits", WatchBench.Median(oursMs), WatchBench.Median(plainMs),
            $"baseline: go build -gcflags=all=-N -l + fresh dlv exec --continue to first answer (same run, same dlv); median per-edit ratio {ratio:0.00}x (goal <= 0.80x: {(ratio <= 0.8 ? "met" : "missed")})");
    }
}
