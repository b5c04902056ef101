using System.Diagnostics;
using System.Text;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>Runs the real ./build.sh (real Cake runner) and captures what it printed.</summary>
internal sealed class BuildScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BuildScript(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>One cache for this test run, outside the user's; it stays empty while go and dlv come from PATH.</summary>
    internal static string IsolatedCache { get; } = Path.Combine(Path.GetTempPath(), $"gdt-cache-{Environment.ProcessId}");

    public static BuildScript Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(RepoPaths.BuildScript)
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        info.Environment["NO_COLOR"] = "1";
        // The real go and dlv first on PATH and an empty cache of our own: the script finds its tools the way a
        // user's machine would, and never reads or writes this machine's real ~/.cache/godebug-tasks.
        info.Environment["GDTASKS_CACHE"] = IsolatedCache;
        info.Environment["PATH"] = string.Join(
            Path.PathSeparator,
            Path.GetDirectoryName(RealTools.FindGo()),
            Path.GetDirectoryName(RealTools.FindDlv()),
            info.Environment["PATH"]);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var script = new BuildScript(process);
        process.OutputDataReceived += (_, e) => script.Append(e.Data);
        process.ErrorDataReceived += (_, e) => script.Append(e.Data);
        process.Exited += (_, _) => script._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return script;
    }

    public static async Task<BuildScript> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = Start(arguments, environment);
        await script.WaitForExitAsync(timeout);
        return script;
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
            await _process.WaitForExitAsync();
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"build.sh did not finish within {timeout}. Output so far:\n{Output}");
        }
    }

    /// <summary>What Ctrl+C in a terminal sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool HasExited => _exited.Task.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) { _output.AppendLine(line); }
    }
}
