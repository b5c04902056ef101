using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>How <see cref="BuildScript.Launch"/> starts the script.</summary>
public enum ScriptLauncher
{
    /// <summary>build.sh directly.</summary>
    Direct,

    /// <summary><c>sh -c './build.sh … &amp; wait'</c>.</summary>
    BackgroundJob,

    /// <summary><c>nohup ./build.sh …</c>.</summary>
    Nohup,

    /// <summary><c>pwsh -File build.ps1 …</c> as a background job of a shell.</summary>
    PowerShell,

    /// <summary><c>env --block-signal=USR1 ./build.sh …</c>.</summary>
    Blocked,
}

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
        => Start(new ProcessStartInfo(RepoPaths.BuildScript), arguments, environment);

    /// <summary>
    /// Starts build.sh (or build.ps1) as a user's script would, each way leaving Cake a different inherited signal
    /// state: a background job of a non-interactive shell ignores SIGINT and SIGQUIT (POSIX), nohup ignores SIGHUP,
    /// build.ps1's pwsh is a .NET process (SIGPIPE ignored) started here as such a background job too, and
    /// <see cref="ScriptLauncher.Blocked"/> starts build.sh with SIGUSR1 blocked.
    /// </summary>
    public static BuildScript Launch(ScriptLauncher launcher, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ProcessStartInfo Info(string file, params string[] prefix)
        {
            var info = new ProcessStartInfo(file);
            foreach (var a in prefix) info.ArgumentList.Add(a);
            return info;
        }

        const string job = "\"$0\" \"$@\" & wait";
        return launcher switch
        {
            ScriptLauncher.BackgroundJob => Start(Info("sh", "-c", job, RepoPaths.BuildScript), arguments, environment),
            ScriptLauncher.Nohup => Start(Info("nohup", RepoPaths.BuildScript), arguments, environment),
            ScriptLauncher.PowerShell => Start(Info("sh", "-c", job, "dotnet", PowerShell.Value, "-NoProfile", "-File", Path.Combine(RepoPaths.Root, "build.ps1")), arguments, environment),
            ScriptLauncher.Blocked => Start(Info("env", "--block-signal=USR1", RepoPaths.BuildScript), arguments, environment),
            _ => Start(arguments, environment),
        };
    }

    /// <summary>The Cake runner's process (build.sh execs it; a launcher or pwsh may stand above it); 0 before it started.</summary>
    public int CakeProcessId()
    {
        foreach (var pid in GoDebug.Tasks.Processes.ProcessTable.Descendants(_process.Id).Prepend(_process.Id))
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/cmdline").Contains("Cake.dll", StringComparison.Ordinal)) return pid;
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return 0;
    }

    /// <summary>SIGTERM to the Cake runner itself, wherever it sits below the launcher (a shell waiting on its job passes nothing on).</summary>
    public void TerminateCake()
    {
        var cake = CakeProcessId();
        Assert.That(cake, Is.Not.Zero, "no Cake process runs:\n" + Output);
        using var kill = Process.Start("kill", ["-TERM", cake.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Runs build.ps1 under the PowerShell that .config/dotnet-tools.json pins, started as a user starts it
    /// (<c>pwsh -File build.ps1 ARGS</c>): pwsh itself is the process, so a signal sent to it reaches it alone.
    /// </summary>
    public static BuildScript StartPowerShell(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet");
        foreach (var a in new[] { PowerShell.Value, "-NoProfile", "-File", Path.Combine(RepoPaths.Root, "build.ps1") }) info.ArgumentList.Add(a);
        return Start(info, arguments, environment);
    }

    /// <summary>
    /// Like <see cref="StartPowerShell"/>, inside a terminal of its own (util-linux <c>script</c> gives it a pty as
    /// controlling terminal): what <see cref="TypeInTerminal"/> writes arrives as typed keys, so Ctrl+C makes the
    /// terminal signal the whole foreground process group, pwsh and Cake alike, as it does for a user.
    /// </summary>
    public static BuildScript StartPowerShellInTerminal(IEnumerable<string> arguments)
    {
        // exec: script runs the command through $SHELL -c, and a shell left waiting in the foreground group gets
        // the Ctrl+C as well; dash (sh, where SHELL is unset) then ends with 130 whatever pwsh returned.
        var command = "exec " + string.Join(' ', new[] { "dotnet", PowerShell.Value, "-NoProfile", "-File", Path.Combine(RepoPaths.Root, "build.ps1") }.Concat(arguments).Select(ShellQuote));
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true };
        foreach (var a in new[] { "-qfec", command, "/dev/null" }) info.ArgumentList.Add(a);
        return Start(info, [], null);
    }

    /// <summary>Keys for the terminal of <see cref="StartPowerShellInTerminal"/>; "\u0003" is Ctrl+C.</summary>
    public void TypeInTerminal(string keys)
    {
        _process.StandardInput.Write(keys);
        _process.StandardInput.Flush();
    }

    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static async Task<BuildScript> RunPowerShellAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var script = StartPowerShell(arguments);
        await script.WaitForExitAsync(timeout);
        return script;
    }

    /// <summary>pwsh.dll of the pinned PowerShell tool package, restored first when this machine has not got it yet.</summary>
    public static Lazy<string> PowerShell { get; } = new(() =>
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json")));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Path.Combine(packages, "powershell", version, "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
        if (!File.Exists(dll))
        {
            using var restore = Process.Start(new ProcessStartInfo("dotnet", ["tool", "restore"]) { WorkingDirectory = RepoPaths.Root })!;
            restore.WaitForExit();
        }

        return File.Exists(dll) ? dll : throw new AssertionException($"PowerShell {version} is not at {dll}; run 'dotnet tool restore' in {RepoPaths.Root}.");
    });

    private static BuildScript Start(ProcessStartInfo info, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        info.WorkingDirectory = RepoPaths.Root;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
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
    public void Interrupt() => Signal("-INT");

    /// <summary>What a CI runner sends to the step's process alone when the job is cancelled.</summary>
    public void Terminate() => Signal("-TERM");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>
    /// GETs <paramref name="url"/> until it answers with JSON while this script is still running (the first debug
    /// build of the sample costs minutes on a loaded machine); fails with the script's output if it ends first.
    /// </summary>
    public async Task<JsonObject> GetJsonWhileRunningAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while (true)
        {
            Assert.That(HasExited, Is.False, "the script ended before the app served:\n" + Output);
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the app never served:\n" + Output);
            try
            {
                if (await http.GetFromJsonAsync<JsonObject>(url) is { } body) return body;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250);
            }
        }
    }

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
