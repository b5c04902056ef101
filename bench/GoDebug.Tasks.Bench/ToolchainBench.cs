using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Ensure-toolchain when Go is already installed: the engine call (requirement lookup, cache scan,
/// <c>go version</c> and <c>go env</c> for the log) against the floor of starting <c>go version</c> once.
/// </summary>
internal sealed class ToolchainBench : IBenchmark
{
    private const int Runs = 30;
    private const int ScriptRuns = 5;

    public string Name => "toolchain";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var go = PathSearch.Resolve(context.GoExecutable);
        var real = await GoTool.FromExecutableAsync(go, cancellationToken).ConfigureAwait(false);
        // A cache entry that links to the real toolchain: the engine's cache path, without a download.
        var cache = Path.Combine(context.ScratchDirectory, "cache");
        var versionDirectory = Path.Combine(cache, "go", real.Version.ToString());
        Directory.CreateDirectory(versionDirectory);
        Directory.CreateSymbolicLink(Path.Combine(versionDirectory, "go"), real.GoRoot);
        var workspace = Path.Combine(context.RepositoryRoot, "samples", "workspace");
        var cached = new GoToolchainSettings { WorkingDirectory = workspace, CacheDirectory = cache, Source = GoSource.Cache };
        var debian = new GoToolchainSettings { WorkingDirectory = workspace, CacheDirectory = Path.Combine(context.ScratchDirectory, "empty"), Source = GoSource.Apt };

        var engineCache = await Stopwatches.MedianMsAsync(Runs, () => GoInstaller.EnsureAsync(cached, new RecordingLog(), cancellationToken)).ConfigureAwait(false);
        var engineApt = await Stopwatches.MedianMsAsync(Runs, () => GoInstaller.EnsureAsync(debian, new RecordingLog(), cancellationToken)).ConfigureAwait(false);
        var baseline = await Stopwatches.MedianMsAsync(Runs, () => ProcessRunner.Default.RunAsync(go, ["version"], null, cancellationToken)).ConfigureAwait(false);

        // The whole entry point with a warm script cache, beside the Cake runner alone on an empty script.
        var buildScript = Path.Combine(context.RepositoryRoot, "build.sh");
        var emptyScript = Path.Combine(context.ScratchDirectory, "empty.cake");
        await File.WriteAllTextAsync(emptyScript, "Task(\"Default\").Does(() => { });\nRunTarget(\"Default\");\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(context.ScratchDirectory, "cake.config"), "[Settings]\nEnableScriptCache=true\n", cancellationToken).ConfigureAwait(false);
        var cakeDll = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "cake.tool", "7.0.0", "tools", "net10.0", "any", "Cake.dll");
        var whole = await Stopwatches.MedianMsAsync(ScriptRuns, async () => (await ProcessRunner.Default.RunAsync(buildScript, ["--target=Toolchain"], context.RepositoryRoot, cancellationToken).ConfigureAwait(false)).EnsureSuccess()).ConfigureAwait(false);
        var cakeAlone = await Stopwatches.MedianMsAsync(ScriptRuns, async () => (await ProcessRunner.Default.RunAsync("dotnet", [cakeDll, emptyScript], context.ScratchDirectory, cancellationToken).ConfigureAwait(false)).EnsureSuccess()).ConfigureAwait(false);
        return
        [
            new BenchRow(Name, "./build.sh --target=Toolchain, script cache warm", whole, cakeAlone, $"median of {ScriptRuns}; baseline: the Cake runner alone on an empty cached script"),
            new BenchRow(Name, "EnsureAsync, go in our cache", engineCache, baseline, $"median of {Runs}; goal <= 50 ms: {(engineCache <= 50 ? "met" : "missed")}; baseline: one `go version` process start"),
            new BenchRow(Name, "EnsureAsync, installed Debian go", engineApt, baseline, $"median of {Runs}; no apt-cache call needed; baseline: one `go version` process start"),
        ];
    }
}
