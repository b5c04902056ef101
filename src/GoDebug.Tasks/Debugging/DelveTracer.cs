using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// Runs a program under <c>dlv trace --exec</c>: every call of a matching function is printed with its
/// arguments and return values. Ends after the duration, when the program exits, or on cancellation;
/// dlv and the program are stopped either way, and what was traced is written to one file.
/// </summary>
internal static class DelveTracer
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Traces until done and returns the path of the trace file.</summary>
    public static async Task<string> RunAsync(DelveTraceSettings settings, DelveResult dlv, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(settings.Program)) throw new GoDebugException($"Program to trace not found: {settings.Program}.", FixHint.Run(GoStep.Build));
        try
        {
            _ = new Regex(settings.Pattern);
        }
        catch (ArgumentException ex)
        {
            throw new GoDebugException($"Trace pattern '{settings.Pattern}' is not a regular expression: {ex.Message}");
        }

        if (settings.Pattern.Length == 0) throw new GoDebugException("Trace pattern is empty; give a regular expression of function names, e.g. main\\.handle.*.");

        var program = Path.GetFullPath(settings.Program);
        var arguments = new List<string> { "trace", "--exec", program, settings.Pattern };
        arguments.AddRange(dlv.CompatibilityArguments);
        if (settings.ProgramArguments.Count > 0)
        {
            arguments.Add("--");
            arguments.AddRange(settings.ProgramArguments);
        }

        var lines = new StringBuilder();
        void Line(string line)
        {
            lock (lines) lines.AppendLine(line);
            host.Log.Info(line);
        }

        var dlvPid = 0;
        var spec = new ProcessSpec(dlv.DlvExecutable, arguments)
        {
            WorkingDirectory = settings.WorkingDirectory ?? Path.GetDirectoryName(program),
            OnStandardOutput = Line,
            OnStandardError = Line,
            OnStarted = pid => Volatile.Write(ref dlvPid, pid),
            // dlv hands its own dispositions to the traced program; those must be a terminal's, not this process's.
            DefaultSignals = true,
        };
        host.Log.Info(ProcessRunner.Describe(spec.Executable, spec.Arguments));
        using var timer = settings.Duration is { } duration ? new CancellationTokenSource(duration, host.Time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        // The tree kill ends dlv and the traced program, but a killed process closes its listeners a moment after
        // the kill returns: remember who was in the tree, kill it, and return only once all of it is gone.
        IReadOnlyList<int> tree = [];
        using var kill = new CancellationTokenSource();
        using var snapshot = stop.Token.Register(() =>
        {
            var pid = Volatile.Read(ref dlvPid);
            tree = pid > 0 ? [pid, .. ProcessTable.Descendants(pid)] : [];
            kill.Cancel();
        });

        string ending;
        try
        {
            var result = await host.Processes.RunAsync(spec, kill.Token).ConfigureAwait(false);
            ending = $"the program ended (dlv exit code {result.ExitCode})";
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            ending = cancellationToken.IsCancellationRequested ? "cancelled" : $"{settings.Duration!.Value.TotalSeconds:0.#} s elapsed";
        }

        if (!await ProcessTable.GoneAsync(tree, StopTimeout, host.Time, CancellationToken.None).ConfigureAwait(false))
        {
            host.Log.Warning($"dlv or the traced program (pids {string.Join(", ", tree.Where(ProcessTable.IsAlive))}) still runs {StopTimeout.TotalSeconds:0} s after it was killed.");
        }

        var output = Path.Combine(Path.GetFullPath(settings.OutputDirectory), $"trace-{host.Time.GetUtcNow():yyyyMMdd-HHmmss}-{Path.GetFileName(program)}.txt");
        string text;
        lock (lines) text = lines.ToString();
        AtomicFile.WriteAllText(output, text);
        var calls = text.Split('\n').Count(l => l.StartsWith("> ", StringComparison.Ordinal));
        host.Log.Info(string.Create(CultureInfo.InvariantCulture, $"Trace of '{settings.Pattern}' stopped ({ending}): {calls} call(s) written to {output}"));
        return output;
    }
}
