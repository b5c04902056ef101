using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Cake;

/// <summary>build.ps1 under the pinned PowerShell behaves as build.sh: exit codes, cache key, signals, and the caller's shell.</summary>
[NonParallelizable]
public class BuildPs1Tests
{
    private static string KeyFile => Path.Combine(RepoPaths.Root, "artifacts", "addin", ".cake-key");

    [Test]
    public async Task A_failing_target_fails_both_scripts_with_the_same_exit_code()
    {
        var sh = await BuildScript.RunAsync(["--target=NoSuchTarget"], TimeSpan.FromMinutes(5));
        var ps1 = await BuildScript.RunPowerShellAsync(["--target=NoSuchTarget"], TimeSpan.FromMinutes(5));

        Assert.That(sh.ExitCode, Is.Not.Zero, sh.Output);
        Assert.That(ps1.ExitCode, Is.EqualTo(sh.ExitCode), ps1.Output);
        Assert.That(ps1.Output, Does.Contain("The target 'NoSuchTarget' was not found"));
    }

    [Test]
    public async Task Both_scripts_keep_the_same_script_cache_key_so_neither_invalidates_the_others_cache()
    {
        var sh = await BuildScript.RunAsync(["--target=NoSuchTarget"], TimeSpan.FromMinutes(5));
        var addin = Path.Combine(RepoPaths.Root, "artifacts", "addin");
        var bytes = (await File.ReadAllBytesAsync(Path.Combine(addin, "Cake.GoDebug.dll"))).Concat(await File.ReadAllBytesAsync(Path.Combine(addin, "GoDebug.Tasks.dll"))).ToArray();
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.That(await File.ReadAllTextAsync(KeyFile), Is.EqualTo(expected), "build.sh: the SHA-256 of the aliases' and the engine's assemblies, lowercase hex" + sh.Output);
        var written = File.GetLastWriteTimeUtc(KeyFile);

        var ps1 = await BuildScript.RunPowerShellAsync(["--target=NoSuchTarget"], TimeSpan.FromMinutes(5));
        Assert.That(ps1.ExitCode, Is.Not.Zero, ps1.Output);
        Assert.That(File.GetLastWriteTimeUtc(KeyFile), Is.EqualTo(written), "build.ps1 found build.sh's key current and left it alone");
        Assert.That(await File.ReadAllTextAsync(KeyFile), Is.EqualTo(expected));

        await BuildScript.RunAsync(["--target=NoSuchTarget"], TimeSpan.FromMinutes(5));
        Assert.That(File.GetLastWriteTimeUtc(KeyFile), Is.EqualTo(written), "and build.sh after build.ps1 too");
    }

    [Test]
    public async Task The_callers_shell_keeps_its_location_and_gets_the_exit_code()
    {
        using var elsewhere = new TempDir("caller");
        var script = Path.Combine(RepoPaths.Root, "build.ps1").Replace("'", "''", StringComparison.Ordinal);
        var command = $"Set-Location '{elsewhere.Path}'; & '{script}' --target=NoSuchTarget; \"exit=$LASTEXITCODE\"; \"location=$((Get-Location).Path)\"";

        var result = await ProcessRunner.Default.RunAsync("dotnet", [BuildScript.PowerShell.Value, "-NoProfile", "-Command", command], RepoPaths.Root, CancellationToken.None);

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries);
        Assert.That(lines, Does.Contain("exit=1"), result.StandardOutput + result.StandardError);
        Assert.That(lines, Does.Contain("location=" + elsewhere.Path));
    }

    [Test]
    public async Task A_colon_in_an_argument_reaches_Cake_whole()
    {
        // pwsh -File splits "--name=a:b" into "--name=a" and "b" unless build.ps1 reads its own command line.
        var run = await BuildScript.RunPowerShellAsync(["--target=Toolchain", "--go-source=ftp:x"], TimeSpan.FromMinutes(5));
        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Output, Does.Contain("--go-source=ftp:x is not one of"));
    }

    [Test]
    public async Task Sigterm_to_powershell_alone_ends_cake_dlv_and_the_app_like_build_sh()
    {
        using var dir = new TempDir("ps1debug");
        var (dlvPort, appPort) = (Ports.Free(), Ports.Free());
        await using var run = BuildScript.StartPowerShell(DebugArguments(dir, dlvPort, appPort));
        await WaitUntilTheAppServesAsync(run, appPort);

        // A CI runner cancelling the job signals the step's process, here pwsh, not its children.
        run.Terminate();

        await AssertTheSessionEndedCleanlyAsync(run, dlvPort, appPort);
    }

    [Test]
    public async Task Ctrl_c_in_a_terminal_reaches_cake_once_and_ends_the_session_cleanly()
    {
        // The terminal signals pwsh and Cake together; were pwsh to pass its SIGINT on as well, Cake would take the
        // second one as "stop now" and leave dlv and the app behind.
        using var dir = new TempDir("ps1ctrlc");
        var (dlvPort, appPort) = (Ports.Free(), Ports.Free());
        await using var run = BuildScript.StartPowerShellInTerminal(DebugArguments(dir, dlvPort, appPort));
        await WaitUntilTheAppServesAsync(run, appPort);

        run.TypeInTerminal("\u0003");

        await AssertTheSessionEndedCleanlyAsync(run, dlvPort, appPort);
    }

    private static string[] DebugArguments(TempDir dir, int dlvPort, int appPort)
        => ["--target=Debug", $"--workspace={SampleCopy.Workspace(dir.Combine("ws"))}", $"--dlv-listen=127.0.0.1:{dlvPort}", $"--program-args=-addr 127.0.0.1:{appPort}"];

    private static async Task WaitUntilTheAppServesAsync(BuildScript run, int appPort)
    {
        var body = await run.GetJsonWhileRunningAsync($"http://127.0.0.1:{appPort}/sum?values=2,3&name=ps1");

        Assert.That(body["sum"]?.GetValue<int>(), Is.EqualTo(5));
    }

    private static async Task AssertTheSessionEndedCleanlyAsync(BuildScript run, int dlvPort, int appPort)
    {
        await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.That(run.ExitCode, Is.EqualTo(0), "Cake ended the session as build.sh's does on a signal:\n" + run.Output);
        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True, "the app must not outlive the build");
        Assert.That(await Ports.ClosesWithinAsync(dlvPort, TimeSpan.FromSeconds(5)), Is.True, "dlv must not outlive the build");
    }
}
