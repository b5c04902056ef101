using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Go;

/// <summary>
/// A resolved <c>go</c> command and the environment every later step runs it with
/// (GOROOT, PATH with its bin first, <c>GOTOOLCHAIN=local</c> so go never fetches another toolchain).
/// </summary>
internal sealed record GoTool(string Executable, GoVersion Version, IReadOnlyDictionary<string, string?> Environment)
{
    public string GoRoot => Path.GetDirectoryName(Path.GetDirectoryName(Executable)!)!;

    /// <summary>What <c>go version</c> printed, when this came from <see cref="FromExecutableAsync"/>.</summary>
    public string? VersionOutput { get; init; }

    /// <summary>The variables a step sets for a go found at <paramref name="executable"/>.</summary>
    public static IReadOnlyDictionary<string, string?> EnvironmentFor(string executable)
    {
        var bin = Path.GetDirectoryName(Path.GetFullPath(executable))!;
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var rest = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(p => !string.Equals(p, bin, StringComparison.Ordinal));
        return new Dictionary<string, string?>
        {
            ["GOROOT"] = Path.GetDirectoryName(bin),
            ["PATH"] = string.Join(Path.PathSeparator, new[] { bin }.Concat(rest)),
            ["GOTOOLCHAIN"] = "local",
        };
    }

    /// <summary>Reads <c>go version</c> of the binary at <paramref name="executable"/>.</summary>
    public static async Task<GoTool> FromExecutableAsync(string executable, CancellationToken cancellationToken)
    {
        var env = EnvironmentFor(executable);
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec(executable, ["version"]) { Environment = env }, cancellationToken).ConfigureAwait(false);
        result.EnsureSuccess();
        return new GoTool(Path.GetFullPath(executable), ParseGoVersionOutput(result.StandardOutput, executable), env) { VersionOutput = result.StandardOutput.Trim() };
    }

    /// <summary>"go version go1.23.5 linux/amd64" → 1.23.5.</summary>
    public static GoVersion ParseGoVersionOutput(string output, string source)
    {
        var token = output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => t.StartsWith("go1", StringComparison.Ordinal) || t.StartsWith("go2", StringComparison.Ordinal));
        return GoVersion.TryParse(token)
            ?? throw new GoDebugException($"'{source} version' printed no Go version: {output.Trim()}");
    }

    public ProcessSpec Command(IReadOnlyList<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var env = new Dictionary<string, string?>(Environment);
        if (extraEnvironment is not null)
        {
            foreach (var (k, v) in extraEnvironment) env[k] = v;
        }

        return new ProcessSpec(Executable, arguments) { WorkingDirectory = workingDirectory, Environment = env };
    }

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
        => ProcessRunner.Default.RunAsync(Command(arguments, workingDirectory), cancellationToken);
}
