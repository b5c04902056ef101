using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Profiling;

/// <summary>What a go tool made of a file: the output's path, or what went wrong.</summary>
internal sealed record ToolOutput(string? Path, string? Error);

/// <summary>
/// The go toolchain's own views of captured files: <c>go tool pprof -svg</c> call graphs (needs Graphviz
/// <c>dot</c>, looked up on the host's PATH so a test can hide it) and <c>go tool trace -pprof=…</c> profiles.
/// </summary>
internal sealed class GoProfileTools(GoDebugHost host, GoTool? go)
{
    /// <summary>The four profiles <c>go tool trace</c> derives from a trace.</summary>
    public static IReadOnlyList<string> TraceProfiles { get; } = ["net", "sync", "syscall", "sched"];

    public string? Dot { get; } = PathSearch.OnPath("dot", host.Environment.Get("PATH") ?? string.Empty).FirstOrDefault();

    /// <summary>A go for pprof: the one given, else any installed go.</summary>
    public async Task<GoTool?> AnyGoAsync(CancellationToken cancellationToken)
        => go ?? await GoInstaller.FindInstalledAsync(null, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A go whose trace parser reads a trace written by Go <paramref name="header"/>: the format changed in 1.22 and an
    /// older go cannot read a newer trace, so the toolchain is asked for at least the trace's version.
    /// </summary>
    public async Task<GoTool?> GoForTraceAsync(TraceHeader header, CancellationToken cancellationToken)
    {
        var wanted = GoVersion.Parse($"{header.Major}.{header.Minor}.0");
        if (go is not null && go.Version >= wanted) return go;
        var requirement = new GoRequirement(GoVersion.Parse(header.Version), Exact: false, "trace header", 0);
        var found = await GoInstaller.FindInstalledAsync(requirement, null, cancellationToken).ConfigureAwait(false);
        return found is not null && requirement.IsSatisfiedBy(found.Version) ? found : null;
    }

    public async Task<ToolOutput> CallGraphAsync(string profile, string output, CancellationToken cancellationToken)
    {
        if (Dot is null) return new ToolOutput(null, $"{ProfilingCodes.NoGraphviz}: Graphviz 'dot' is not on PATH, so no call graph (apt-get install graphviz); the flame graphs above need nothing.");
        var tool = await AnyGoAsync(cancellationToken).ConfigureAwait(false);
        if (tool is null) return new ToolOutput(null, $"{ProfilingCodes.GoToolFailed}: no go toolchain found to run 'go tool pprof'.");
        return await RunToFileAsync(tool, ["tool", "pprof", "-svg", "-output", output, profile], output, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ToolOutput> TraceProfileAsync(GoTool tool, string trace, string kind, string output, CancellationToken cancellationToken)
    {
        var temp = FileSystem.AtomicFile.TempSibling(output);
        var error = await RunRedirectedAsync(tool, ["tool", "trace", $"-pprof={kind}", trace], temp, cancellationToken).ConfigureAwait(false);
        return error is null ? Move(temp, output) : Fail(temp, error);
    }

    private async Task<ToolOutput> RunToFileAsync(GoTool tool, IReadOnlyList<string> arguments, string output, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(tool.Executable, arguments) { Environment = Merge(tool.Environment, Path()) };
        var result = await host.Processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && File.Exists(output)) return new ToolOutput(output, null);
        return new ToolOutput(null, $"{ProfilingCodes.GoToolFailed}: '{result.CommandLine}' exited {result.ExitCode}: {Tail(result.StandardError + result.StandardOutput)}");
    }

    /// <summary>
    /// Runs go with stdout streamed to <paramref name="file"/> as bytes (<c>go tool trace -pprof</c> has no output flag and
    /// the process runner keeps stdout as text, which would corrupt a gzip stream); null on success, else the error text.
    /// Cancelling kills the process tree, as the runner does.
    /// </summary>
    private async Task<string?> RunRedirectedAsync(GoTool tool, IReadOnlyList<string> arguments, string file, CancellationToken cancellationToken)
    {
        var command = CliWrap.Cli.Wrap(tool.Executable)
            .WithArguments(arguments)
            .WithEnvironmentVariables(Merge(tool.Environment, Path()))
            .WithValidation(CliWrap.CommandResultValidation.None);
        var stderr = new System.Text.StringBuilder();
        await using (var stream = File.Create(file))
        {
            var result = await (command | (CliWrap.PipeTarget.ToStream(stream), CliWrap.PipeTarget.ToStringBuilder(stderr))).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0) return null;
            return $"'{ProcessRunner.Describe(tool.Executable, arguments)}' exited {result.ExitCode}: {Tail(stderr.ToString())}";
        }
    }

    private static ToolOutput Move(string temp, string output)
    {
        File.Move(temp, output, overwrite: true);
        return new ToolOutput(output, null);
    }

    private static ToolOutput Fail(string temp, string error)
    {
        FileSystem.AtomicFile.TryDelete(temp);
        return new ToolOutput(null, $"{ProfilingCodes.GoToolFailed}: {error}");
    }

    private Dictionary<string, string?> Path() => new() { ["PATH"] = host.Environment.Get("PATH") ?? string.Empty };

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> a, IReadOnlyDictionary<string, string?> b)
    {
        var merged = new Dictionary<string, string?>(a);
        foreach (var (k, v) in b)
        {
            // The go's own bin stays first on PATH; the host's PATH (where dot is looked up) follows it.
            merged[k] = k == "PATH" && a.TryGetValue("PATH", out var goPath) && goPath is not null ? $"{goPath.Split(System.IO.Path.PathSeparator)[0]}{System.IO.Path.PathSeparator}{v}" : v;
        }

        return merged;
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 600 ? trimmed : "…" + trimmed[^600..];
    }
}
