using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Cake;

/// <summary>The real entry point: ./build.sh → dotnet cake → build.cake → our aliases → engines.</summary>
[NonParallelizable]
public partial class BuildScriptTests
{
    [Test]
    public async Task Delve_target_ends_with_a_working_go_and_dlv_even_when_GOTOOLCHAIN_asks_for_another_go()
    {
        // GOTOOLCHAIN=go1.99.0 in the caller's environment makes go 1.21 and later fetch that release (which fails)
        // before doing anything. Every go the steps run gets GOTOOLCHAIN=local, so the go on PATH must answer
        // itself; go 1.19 would ignore the variable, so the PATH go here is one that honours it.
        var switching = await RealTools.GoAtLeastAsync("1.21");
        var path = string.Join(Path.PathSeparator, Path.GetDirectoryName(switching.Executable), Path.GetDirectoryName(RealTools.FindDlv()), Environment.GetEnvironmentVariable("PATH"));
        var run = await BuildScript.RunAsync(["--target=Delve"], TimeSpan.FromMinutes(10), new Dictionary<string, string> { ["GOTOOLCHAIN"] = "go1.99.0", ["PATH"] = path });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);

        var go = GoLine().Match(run.Output);
        var dlv = DlvLine().Match(run.Output);
        Assert.That(go.Success && dlv.Success, Is.True, run.Output);
        Assert.That(go.Groups[1].Value, Is.EqualTo(switching.Executable), "the go first on PATH satisfies the sample, so it is the one used");
        Assert.That(run.Output, Does.Not.Contain("go1.99.0"), "go never tried to switch toolchains");

        var goVersion = await ProcessRunner.Default.RunAsync(go.Groups[1].Value, ["version"], null, CancellationToken.None);
        Assert.That(goVersion.StandardOutput, Does.StartWith("go version go1."));
        var dlvVersion = await ProcessRunner.Default.RunAsync(dlv.Groups[1].Value, ["version"], null, CancellationToken.None);
        Assert.That(dlvVersion.StandardOutput, Does.Contain("Version: "));
        Assert.That(run.Output, Does.Contain($"GOROOT={switching.GoRoot}"), "the log shows the go environment");
    }

    [Test]
    public async Task Debug_target_serves_the_sample_under_dlv_and_ctrl_c_stops_everything()
    {
        using var dir = new TempDir("debug");
        var workspace = SampleCopy.Workspace(dir.Combine("ws"));
        var dlvPort = Ports.Free();
        var appPort = Ports.Free();
        await using var run = BuildScript.Start([
            "--target=Debug", $"--workspace={workspace}", $"--dlv-listen=127.0.0.1:{dlvPort}", $"--program-args=-addr 127.0.0.1:{appPort}",
        ]);

        var body = await run.GetJsonWhileRunningAsync($"http://127.0.0.1:{appPort}/sum?values=2,3&name=cake");

        Assert.That(body["sum"]?.GetValue<int>(), Is.EqualTo(5));
        Assert.That(Ports.Accepts(dlvPort), Is.True, "dlv API port is open");
        Assert.That(run.Output, Does.Contain($"dlv ready on 127.0.0.1:{dlvPort}"));

        run.Interrupt();
        await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.That(run.ExitCode, Is.EqualTo(0), "Ctrl+C is the normal end of a debug session:\n" + run.Output);
        Assert.That(await Ports.ClosesWithinAsync(appPort, TimeSpan.FromSeconds(5)), Is.True, "the app must not outlive the build");
        Assert.That(await Ports.ClosesWithinAsync(dlvPort, TimeSpan.FromSeconds(5)), Is.True, "dlv must not outlive the build");
        Assert.That(File.Exists(Path.Combine(workspace, ".godebug", "bin", "Debug", "app")), Is.True, "debug binary in the predictable folder");
    }

    [Test]
    public async Task Workspace_check_passes_on_the_sample_and_fails_on_a_stale_go_work()
    {
        using var dir = new TempDir("check");
        var workspace = SampleCopy.Workspace(dir.Combine("ws"));
        var clean = await BuildScript.RunAsync(["--target=Workspace", "--check", $"--workspace={workspace}"], TimeSpan.FromMinutes(5));
        Assert.That(clean.ExitCode, Is.EqualTo(0), clean.Output);

        var goWork = Path.Combine(workspace, "go.work");
        File.WriteAllText(goWork, File.ReadAllText(goWork).Replace("\t./module-b\n", string.Empty, StringComparison.Ordinal));
        var before = File.ReadAllText(goWork);
        var stale = await BuildScript.RunAsync(["--target=Workspace", "--check", $"--workspace={workspace}"], TimeSpan.FromMinutes(5));
        Assert.That(stale.ExitCode, Is.Not.EqualTo(0), stale.Output);
        Assert.That(stale.Output, Does.Contain("module-b"), "the difference is printed");
        Assert.That(File.ReadAllText(goWork), Is.EqualTo(before), "check mode writes nothing");
    }

    [Test]
    public async Task Toolchain_in_a_github_actions_job_puts_the_go_it_uses_on_the_jobs_path()
    {
        // What actions/setup-go does, so the scaffolded workflow's later `go test` steps run the Go the workspace asked for.
        using var dir = new TempDir("ghpath");
        var pathFile = dir.Write("github path", string.Empty);
        var run = await BuildScript.RunAsync(["--target=Toolchain"], TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_PATH"] = pathFile,
            ["GITHUB_STEP_SUMMARY"] = dir.Combine("summary.md"),
            ["GITHUB_OUTPUT"] = dir.Combine("output.txt"),
        });

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var go = GoLine().Match(run.Output);
        Assert.That(go.Success, Is.True, run.Output);
        Assert.That(File.ReadAllLines(pathFile), Is.EqualTo(new[] { Path.GetDirectoryName(go.Groups[1].Value) }));
    }

    [Test]
    public async Task Unknown_source_argument_names_the_flag()
    {
        var run = await BuildScript.RunAsync(["--target=Toolchain", "--go-source=ftp"], TimeSpan.FromMinutes(5));
        Assert.That(run.ExitCode, Is.Not.EqualTo(0));
        Assert.That(run.Output, Does.Contain("--go-source=ftp"));
    }

    [GeneratedRegex(@"^go: (\S+) \(", RegexOptions.Multiline)]
    private static partial Regex GoLine();

    [GeneratedRegex(@"^dlv: (\S+) \(", RegexOptions.Multiline)]
    private static partial Regex DlvLine();
}
