using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Doctor;

[Parallelizable(ParallelScope.All)]
public class GoDoctorTests
{
    [Test]
    public async Task Fixture_without_problems_has_no_findings()
    {
        using var fx = new DoctorFixture();
        var (report, log) = await fx.RunAsync();
        Assert.That(report.Findings, Is.Empty);
        Assert.That(log.Text, Does.Contain("Doctor: 0 error(s), 0 warning(s), 0 notice(s)."));
    }

    [Test]
    public async Task No_go_is_an_error_naming_the_requirement()
    {
        using var fx = new DoctorFixture();
        var (report, _) = await fx.RunAsync(withGo: false);
        var f = Single(report, "GODR001");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(f.Problem, Does.Contain(Path.Combine(fx.Workspace, "go.work")));
        Assert.That(f.Fix.Step, Is.EqualTo(GoStep.Toolchain));
        Assert.That(report.HasErrors, Is.True);
    }

    [Test]
    public async Task Go_older_than_the_workspace_requires_is_an_error()
    {
        using var fx = new DoctorFixture();
        var work = fx.Write("ws/go.work", "go 1.99\n\nuse (\n\t./lib\n\t./app\n)\n");
        var go = await RealTools.GoAsync();
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR002");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(f.Problem, Does.Contain($"go {go.Version} ({go.Executable})").And.Contain($"go 1.99 or later (from {work}:1)"));
        Assert.That(f.Fix.Step, Is.EqualTo(GoStep.Toolchain));
        Assert.That(f.Fix.Note, Does.Contain("1.99.0"));
    }

    [Test]
    public async Task Malformed_requirement_file_is_an_error_naming_file_and_line()
    {
        using var fx = new DoctorFixture();
        var work = fx.Write("ws/go.work", "use ./lib\ngo one.nineteen\n");
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR003");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(f.Problem, Does.StartWith($"{work}:2:"));
    }

    [Test]
    public async Task GOWORK_variable_pointing_outside_the_workspace_is_an_error()
    {
        using var fx = new DoctorFixture();
        var other = fx.Write("other/go.work", "go 1.19\n");
        fx.Environment["GOWORK"] = other;
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR004");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(f.Problem, Does.Contain($"GOWORK={other} (the GOWORK environment variable)"));
        Assert.That(f.Fix.Note, Does.Contain("Unset GOWORK").And.Contain(Path.Combine(fx.Workspace, "go.work")));
    }

    [Test]
    public async Task Go_work_that_go_finds_in_a_parent_folder_is_outside_the_workspace()
    {
        using var fx = new DoctorFixture();
        var parent = fx.Write("go.work", "go 1.19\n\nuse ./solo\n");
        fx.Write("solo/go.mod", "module example.com/solo\n\ngo 1.19\n");
        var (report, _) = await fx.RunAsync(fx.Settings with { Workspace = Path.Combine(fx.Root, "solo") });
        var f = Single(report, "GODR004");
        Assert.That(f.Problem, Does.Contain($"GOWORK={parent} (go found it in a parent folder)"));
    }

    [Test]
    public async Task GOWORK_off_while_a_go_work_exists_is_a_warning()
    {
        using var fx = new DoctorFixture();
        fx.Environment["GOWORK"] = "off";
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR005");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
        Assert.That(f.Problem, Does.Contain(Path.Combine(fx.Workspace, "go.work")));
    }

    [Test]
    public async Task Relative_GOWORK_makes_go_env_fail_and_that_is_reported()
    {
        using var fx = new DoctorFixture();
        fx.Environment["GOWORK"] = "rel/go.work";
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR015");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(f.Problem, Does.Contain("GOWORK"));
    }

    [TestCase("-mod=mod")]
    [TestCase("-v -mod=vendor")]
    [TestCase("--mod=mod")]
    public async Task GOFLAGS_with_a_mod_flag_is_an_error(string goflags)
    {
        using var fx = new DoctorFixture();
        fx.Environment["GOFLAGS"] = goflags;
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR006");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
        Assert.That(f.Problem, Does.Contain($"GOFLAGS={goflags} (the GOFLAGS environment variable)"));
    }

    [Test]
    public async Task GOFLAGS_set_with_go_env_w_is_found_through_the_go_env_file()
    {
        using var fx = new DoctorFixture();
        var envFile = fx.Write("config/go/env", "GOFLAGS=-mod=mod\n");
        fx.Environment["GOENV"] = envFile;
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR006");
        Assert.That(f.Problem, Does.Contain($"set with 'go env -w' in {envFile}"));
        Assert.That(f.Fix.Note, Does.Contain("go env -u GOFLAGS"));
    }

    [Test]
    public async Task Mod_vendor_after_go_work_vendor_is_fine()
    {
        using var fx = new DoctorFixture();
        fx.Write("ws/vendor/modules.txt", "## workspace\n");
        fx.Environment["GOFLAGS"] = "-mod=vendor";
        var (report, _) = await fx.RunAsync();
        Assert.That(report.Findings.Select(f => f.Code), Does.Not.Contain("GODR006"));
    }

    [Test]
    public async Task Mod_mod_in_a_single_module_without_go_work_is_fine()
    {
        using var fx = new DoctorFixture();
        fx.Write("solo/go.mod", "module example.com/solo\n\ngo 1.19\n");
        fx.Environment["GOFLAGS"] = "-mod=mod";
        var (report, _) = await fx.RunAsync(fx.Settings with { Workspace = Path.Combine(fx.Root, "solo") });
        Assert.That(report.Findings.Select(f => f.Code), Does.Not.Contain("GODR006"));
    }

    [Test]
    public async Task Workspace_module_also_under_GOPATH_src_is_a_warning()
    {
        using var fx = new DoctorFixture();
        var copy = fx.Write("gopath/src/example.com/fixture/lib/lib.go", "package lib\n");
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR007");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
        Assert.That(f.Problem, Does.Contain("example.com/fixture/lib").And.Contain(Path.GetDirectoryName(copy)!));
    }

    [Test]
    public async Task A_nested_go_mod_go_rejects_is_skipped_while_the_other_modules_are_still_checked()
    {
        using var fx = new DoctorFixture();
        fx.Write("ws/broken/go.mod", "module example.com/fixture/broken\n\nrequire example.com/dep latest\n");
        fx.Write("gopath/src/example.com/fixture/broken/broken.go", "package broken\n");
        var copy = fx.Write("gopath/src/example.com/fixture/lib/lib.go", "package lib\n");
        var (report, _) = await fx.RunAsync();
        Assert.That(Single(report, "GODR007").Problem, Does.Contain("example.com/fixture/lib").And.Contain(Path.GetDirectoryName(copy)!));
    }

    [Test]
    public async Task GOMODCACHE_inside_the_workspace_is_a_warning_and_is_not_scanned_as_modules()
    {
        using var fx = new DoctorFixture();
        var cache = Path.Combine(fx.Workspace, "app", ".modcache");
        fx.Write("ws/app/.modcache/example.com/dep@v1.0.0/go.mod", "module example.com/dep\n");
        fx.Environment["GOMODCACHE"] = cache;
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR008");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
        Assert.That(f.Problem, Does.Contain($"GOMODCACHE={cache}"));
    }

    [Test]
    public async Task Missing_dlv_is_a_warning()
    {
        using var fx = new DoctorFixture();
        var log = new RecordingLog();
        var report = await GoDoctor.RunAsync(fx.Settings, await RealTools.GoAsync(), null, log, CancellationToken.None);
        var f = Single(report, "GODR009");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
    }

    [Test]
    public async Task A_dlv_only_in_our_cache_is_the_one_the_Delve_step_installed()
    {
        using var fx = new DoctorFixture();
        var cached = fx.FakeDlv(DoctorFixture.DlvOlderThanAnySupportedGo, $"cache/dlv/{DoctorFixture.DlvOlderThanAnySupportedGo}/dlv");
        fx.Environment["PATH"] = Path.Combine(fx.GoPath, "bin");
        var report = await GoDoctor.RunFindingToolsAsync(fx.Settings, await RealTools.GoAsync(), null, new RecordingLog(), CancellationToken.None);
        Assert.That(report.Findings.Select(f => f.Code), Does.Not.Contain("GODR009"));
        Assert.That(Single(report, "GODR010").Problem, Does.Contain(cached));
    }

    [Test]
    public async Task Dlv_older_than_the_go_in_use_is_a_warning()
    {
        using var fx = new DoctorFixture();
        var dlv = fx.FakeDlv(DoctorFixture.DlvOlderThanAnySupportedGo);
        var go = await RealTools.GoAsync();
        var (report, _) = await fx.RunAsync(dlv: dlv);
        var f = Single(report, "GODR010");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
        Assert.That(f.Problem, Does.Contain($"dlv 1.8.0 ({dlv}) supports Go up to 1.18, but go is {go.Version}"));
    }

    [Test]
    public async Task Dlv_that_prints_no_version_is_a_warning()
    {
        using var fx = new DoctorFixture();
        var dlv = fx.WriteExecutable("broken/dlv", "#!/bin/sh\necho 'segfault' >&2\nexit 2\n");
        var (report, _) = await fx.RunAsync(dlv: dlv);
        var f = Single(report, "GODR011");
        Assert.That(f.Problem, Does.Contain("exit code 2").And.Contain("segfault"));
    }

    [TestCase("go1.99.0", "go1.99.0")]
    [TestCase("go1.99.0+auto", "go1.99.0")]
    public async Task GOTOOLCHAIN_naming_another_version_would_download(string value, string target)
    {
        using var fx = new DoctorFixture();
        fx.Environment["GOTOOLCHAIN"] = value;
        var (report, _) = await fx.RunAsync(go: await GoWithToolchainSwitchingAsync());
        var f = Single(report, "GODR012");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
        Assert.That(f.Problem, Does.Contain($"GOTOOLCHAIN={value} (from the environment) makes go download and run {target}"));
        Assert.That(f.Fix.Note, Does.Contain("GOTOOLCHAIN=local"));
    }

    [Test]
    public async Task GOTOOLCHAIN_auto_with_a_newer_go_line_would_download_and_go_is_too_old()
    {
        using var fx = new DoctorFixture();
        fx.Write("ws/go.work", "go 1.99\n\nuse (\n\t./lib\n\t./app\n)\n");
        fx.Environment["GOTOOLCHAIN"] = "auto";
        var (report, _) = await fx.RunAsync(go: await GoWithToolchainSwitchingAsync());
        Assert.That(Single(report, "GODR012").Problem, Does.Contain("go1.99.0 instead of the local go").And.Contain("because go 1.99 or later"));
        Assert.That(Single(report, "GODR002").Severity, Is.EqualTo(GoDiagnosticSeverity.Error));
    }

    [Test]
    public async Task GOTOOLCHAIN_from_the_go_env_file_is_honoured()
    {
        using var fx = new DoctorFixture();
        var envFile = fx.Write("config/go/env", "GOTOOLCHAIN=go1.98.1\n");
        fx.Environment.Remove("GOTOOLCHAIN");
        fx.Environment["GOENV"] = envFile;
        var (report, _) = await fx.RunAsync(go: await GoWithToolchainSwitchingAsync());
        Assert.That(Single(report, "GODR012").Problem, Does.Contain($"GOTOOLCHAIN=go1.98.1 (from {envFile})"));
    }

    [Test]
    public async Task GOTOOLCHAIN_that_cannot_download_or_finds_the_toolchain_on_PATH_is_fine()
    {
        using var fx = new DoctorFixture();
        var go = await GoWithToolchainSwitchingAsync();
        fx.Environment["GOTOOLCHAIN"] = "go1.99.0+path";
        var (pathMode, _) = await fx.RunAsync(go: go);
        fx.WriteExecutable("gopath/bin/go1.97.0", "#!/bin/sh\n");
        fx.Environment["GOTOOLCHAIN"] = "go1.97.0";
        var (found, _) = await fx.RunAsync(go: go);
        fx.Environment["GOTOOLCHAIN"] = "auto";
        var (auto, _) = await fx.RunAsync(go: go);
        Assert.That(new[] { pathMode, found, auto }.SelectMany(r => r.Findings).Select(f => f.Code), Does.Not.Contain("GODR012"));
    }

    [Test]
    public async Task GOPATH_bin_not_on_PATH_is_a_notice()
    {
        using var fx = new DoctorFixture();
        fx.Environment["PATH"] = "/usr/bin:/bin";
        var (report, _) = await fx.RunAsync();
        var f = Single(report, "GODR013");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Notice));
        Assert.That(f.Problem, Does.StartWith($"$GOPATH/bin ({Path.Combine(fx.GoPath, "bin")}) is not on PATH"));
    }

    [Test]
    public async Task GOBIN_is_where_go_install_puts_tools_so_it_is_the_folder_checked()
    {
        using var fx = new DoctorFixture();
        var gobin = Path.Combine(fx.Root, "gobin");
        fx.Environment["GOBIN"] = gobin;
        var (report, _) = await fx.RunAsync();
        Assert.That(Single(report, "GODR013").Problem, Does.StartWith($"GOBIN ({gobin}) is not on PATH"));
    }

    [Test]
    public async Task Inotify_limit_below_the_folder_count_is_a_warning_not_counting_vendor_git_node_modules()
    {
        using var fx = new DoctorFixture();
        foreach (var skipped in new[] { ".git", "vendor", "node_modules" })
        {
            for (var i = 0; i < 20; i++) Directory.CreateDirectory(Path.Combine(fx.Workspace, skipped, $"d{i}"));
        }

        // Only ws, lib and app count: the 63 folders under .git, vendor and node_modules are never watched.
        File.WriteAllText(fx.InotifyFile, "3\n");
        var (atLimit, _) = await fx.RunAsync();
        File.WriteAllText(fx.InotifyFile, "2\n");
        var (below, _) = await fx.RunAsync();
        Assert.That(atLimit.Findings.Select(f => f.Code), Does.Not.Contain("GODR014"));
        var f = Single(below, "GODR014");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Warning));
        Assert.That(f.Problem, Does.Contain($"is 2 ({fx.InotifyFile}), below the 3 folders"));
        Assert.That(f.Fix.Note, Does.Contain("sudo sysctl fs.inotify.max_user_watches=524288"));
    }

    [Test]
    public async Task Findings_are_ordered_errors_first_and_logged_as_a_table()
    {
        using var fx = new DoctorFixture();
        fx.Environment["PATH"] = "/usr/bin:/bin";
        fx.Environment["GOFLAGS"] = "-mod=mod";
        var (report, log) = await fx.RunAsync(dlv: fx.FakeDlv(DoctorFixture.DlvOlderThanAnySupportedGo));
        Assert.That(report.Findings.Select(f => f.Severity), Is.EqualTo(new[] { GoDiagnosticSeverity.Error, GoDiagnosticSeverity.Warning, GoDiagnosticSeverity.Notice }));
        var lines = log.Lines.Where(l => l.Level == "info").Select(l => l.Message).ToList();
        var header = lines.FindIndex(l => l.StartsWith("severity", StringComparison.Ordinal));
        Assert.That(header, Is.GreaterThan(0));
        Assert.That(lines[header], Does.Match("^severity +code +problem +fix$"));
        Assert.That(lines[header + 2], Does.StartWith("error").And.Contain("GODR006"));
        Assert.That(lines[header + 3], Does.StartWith("warning").And.Contain("GODR010"));
        Assert.That(lines[header + 4], Does.StartWith("notice").And.Contain("GODR013"));
        Assert.That(lines[header + 2].IndexOf("GODR006", StringComparison.Ordinal), Is.EqualTo(lines[header].IndexOf("code", StringComparison.Ordinal)));
    }

    [Test]
    public void Missing_workspace_folder_is_a_clear_error()
    {
        using var fx = new DoctorFixture();
        var missing = Path.Combine(fx.Root, "nope");
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoDoctor.RunAsync(fx.Settings with { Workspace = missing }, null, null, new RecordingLog(), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain(missing));
    }

    [Test]
    public async Task Clean_sample_with_real_dlv_has_no_errors_and_at_most_the_dlv_age_warning()
    {
        using var gopath = new TempDir("gopath");
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = string.Join(Path.PathSeparator, Path.Combine(gopath.Path, "bin"), "/usr/bin", "/bin"),
            ["GOPATH"] = gopath.Path,
            ["GOTOOLCHAIN"] = "local",
            ["GOENV"] = "off",
        };
        var dlv = RealTools.FindDlv();
        var go = await RealTools.GoAsync();
        var dlvVersion = DelveInstaller.ParseVersionOutput((await ProcessRunner.Default.RunAsync(dlv, ["version"], null, CancellationToken.None)).StandardOutput);
        Assert.That(dlvVersion, Is.Not.Null, $"'{dlv} version' printed no version");
        var settings = new GoDoctorSettings { Workspace = RepoPaths.SampleWorkspace, Environment = env, CheckDelveRelease = false };
        var report = await GoDoctor.RunAsync(settings, go, dlv, new RecordingLog(), CancellationToken.None);
        // Debian's dlv 1.20.2 supports Go 1.19 and 1.20 but predates 1.21 and later: the one warning is exactly what is true of the pair in use.
        var expected = DelveInstaller.Supports(dlvVersion!, go.Version) ? Array.Empty<string>() : ["GODR010"];
        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(expected), $"dlv {dlvVersion} with go {go.Version}");
        Assert.That(report.Findings.Where(f => f.Code == "GODR010").Select(f => f.Problem), Has.All.Contain($"({dlv})"));
    }

    [Test]
    public async Task Clean_sample_with_a_dlv_that_supports_the_go_in_use_has_no_findings()
    {
        using var fx = new DoctorFixture();
        var settings = fx.Settings with { Workspace = RepoPaths.SampleWorkspace };
        var (report, _) = await fx.RunAsync(settings);
        Assert.That(report.Findings, Is.Empty);
    }

    /// <summary>Go before 1.21 ignores GOTOOLCHAIN, so its findings need a go that switches toolchains.</summary>
    private static Task<GoTool> GoWithToolchainSwitchingAsync() => RealTools.GoAtLeastAsync("1.21");

    private static GoDoctorFinding Single(GoDoctorReport report, string code)
    {
        var matches = report.Findings.Where(f => f.Code == code).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"expected one {code}; got: {string.Join(" | ", report.Findings.Select(f => $"{f.Code} {f.Problem}"))}");
        return matches[0];
    }

    [Test]
    public async Task Doctor_says_how_far_dlv_is_behind_Delves_latest_release_and_unknown_when_GitHub_is_unreachable()
    {
        using var fx = new DoctorFixture();
        var log = new RecordingLog();
        // Nothing listens on port 1 of loopback: the check must give up at once and say "unknown", not fail Doctor.
        var host = Hosting.GoDebugHost.Create(log) with { Environment = Hosting.EnvironmentSnapshot.Capture().With("GITHUB_API_URL", "http://127.0.0.1:1") };
        var report = await GoDoctor.RunAsync(fx.Settings with { CheckDelveRelease = true }, await RealTools.GoAsync(), await fx.CompatibleDlvAsync(), host, CancellationToken.None);
        var f = Single(report, "GO7005");
        Assert.That(f.Severity, Is.EqualTo(GoDiagnosticSeverity.Notice));
        Assert.That(f.Problem, Does.Contain("unknown"));
        Assert.That(report.HasErrors, Is.False);
    }
}
