using System.Text;
using CliWrap;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Processes;

/// <summary>What a finished child process said and how it ended.</summary>
internal sealed record ProcessResult(string Executable, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public string CommandLine => ProcessRunner.Describe(Executable, Arguments);

    /// <summary>Throws a <see cref="GoDebugException"/> naming the command and its stderr unless it exited 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode == 0) return this;
        var detail = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
        throw new GoDebugException($"'{CommandLine}' exited with code {ExitCode}: {detail.Trim()}");
    }
}

/// <summary>A child process to run: arguments as a list, never one shell string.</summary>
internal sealed record ProcessSpec(string Executable, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (non-null) or remove (null) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Called with each stdout line as it arrives (progress, live logs).</summary>
    public Action<string>? OnStandardOutput { get; init; }

    /// <summary>Called with each stderr line as it arrives.</summary>
    public Action<string>? OnStandardError { get; init; }

    /// <summary>Called with the process id once the child has started (to find its listening ports and children).</summary>
    public Action<int>? OnStarted { get; init; }

    /// <summary>
    /// Cancelling this asks the child to stop (<see cref="StopSignal"/> on Unix, Ctrl+C on Windows) and lets it
    /// finish on its own; the token given to RunAsync stays the forceful one that kills the whole tree.
    /// </summary>
    public CancellationToken GracefulStop { get; init; }

    /// <summary>
    /// Start with every signal at its default disposition and none blocked, whatever this process inherited
    /// (<see cref="PosixSpawn"/> says why): for a program run for the user (the watched program, dlv, a profiled
    /// service), which must stop on the signal a terminal or our graceful stop sends. Ignored on Windows.
    /// </summary>
    public bool DefaultSignals { get; init; }

    /// <summary>The signal number <see cref="GracefulStop"/> sends to a <see cref="DefaultSignals"/> child (SIGINT; SIGTERM for programs that listen for that alone).</summary>
    public int StopSignal { get; init; } = PosixSpawn.Sigint;
}

/// <summary>
/// Starts child processes. An instance, not a static, so an engine whose subject is not the process
/// (a watcher's debounce, a profiler's retry) can be tested with a runner that records or refuses.
/// </summary>
internal interface IProcessRunner
{
    /// <summary>Runs <paramref name="spec"/> to its end; cancelling kills its whole process tree.</summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}

/// <summary>
/// Runs child processes through CliWrap, and <see cref="ProcessSpec.DefaultSignals"/> programs on Linux and macOS
/// through posix_spawn, which alone can reset what .NET's Process hands down (<see cref="PosixSpawn"/>). Cancelling
/// the token kills the whole process tree (<c>go build</c> spawns compile/link children; dlv spawns the debuggee),
/// so Ctrl+C leaves no orphan.
/// </summary>
internal sealed class ProcessRunner : IProcessRunner
{
    public static ProcessRunner Default { get; } = new();

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        if (spec.DefaultSignals && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return await PosixSpawn.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(spec.Executable)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(spec.Environment)
            .WithStandardOutputPipe(Pipe(stdout, spec.OnStandardOutput))
            .WithStandardErrorPipe(Pipe(stderr, spec.OnStandardError));
        if (spec.WorkingDirectory is not null)
        {
            command = command.WithWorkingDirectory(spec.WorkingDirectory);
        }

        try
        {
            var running = command.ExecuteAsync(cancellationToken, spec.GracefulStop);
            spec.OnStarted?.Invoke(running.ProcessId);
            var result = await running.ConfigureAwait(false);
            return new ProcessResult(spec.Executable, spec.Arguments, result.ExitCode, stdout.ToString(), stderr.ToString());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new GoDebugException($"Cannot start '{spec.Executable}': {ex.Message}", ex);
        }
    }

    /// <summary>A human-readable command line for logs; quoting is cosmetic, nothing is ever run through a shell.</summary>
    public static string Describe(string executable, IEnumerable<string> arguments)
        => string.Join(' ', new[] { executable }.Concat(arguments).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"\"{a}\"" : a));

    private static PipeTarget Pipe(StringBuilder buffer, Action<string>? onLine)
    {
        var capture = PipeTarget.ToStringBuilder(buffer);
        return onLine is null ? capture : PipeTarget.Merge(capture, PipeTarget.ToDelegate(onLine));
    }
}

/// <summary>Shorthand for the common case of an argument list and a folder.</summary>
internal static class ProcessRunnerExtensions
{
    public static Task<ProcessResult> RunAsync(this IProcessRunner runner, string executable, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
        => runner.RunAsync(new ProcessSpec(executable, arguments) { WorkingDirectory = workingDirectory }, cancellationToken);
}
