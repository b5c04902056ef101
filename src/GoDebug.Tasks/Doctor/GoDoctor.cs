using System.Numerics;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>Diagnoses a Go debugging setup.</summary>
internal static partial class GoDoctor
{
    private const string GoInstallDelve = "go install github.com/go-delve/delve/cmd/dlv@latest";

    // The Delve step's default finds an existing dlv first, which would be the same old one again.
    private static readonly FixHint FreshDelve = FixHint.Run(GoStep.Delve, new SettingValue(GoSetting.DelveSource, nameof(DelveSource.GoInstall))).Or(GoInstallDelve);

    /// <param name="settings">What to examine.</param>
    /// <param name="go">The go found without installing anything, or null when there is none.</param>
    /// <param name="dlvExecutable">The dlv found without installing anything, or null.</param>
    /// <param name="host">Where to report, which processes to start, the environment to read.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<GoDoctorReport> RunAsync(GoDoctorSettings settings, GoTool? go, string? dlvExecutable, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        var workspace = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.Workspace));
        if (!Directory.Exists(workspace))
        {
            throw new GoDebugException($"Doctor: the workspace folder '{workspace}' (Workspace setting) does not exist.");
        }

        var env = settings.Environment ?? DoctorEnvironment.From(host.Environment);
        var findings = new List<GoDoctorFinding>();
        var requirement = CheckGo(workspace, go, findings);
        var view = GoEnvironmentView.FromSnapshot(env);
        if (go is not null)
        {
            var (read, result) = await GoEnvironmentView.ReadAsync(go, workspace, env, host.Processes, cancellationToken).ConfigureAwait(false);
            view = read;
            if (!result.Succeeded)
            {
                findings.Add(Error(DoctorCodes.GoEnvFailed, $"'go env -json' in {workspace} failed: {Detail(result)}", "Fix the setting go names above; Doctor used the raw environment for the other checks."));
            }
        }

        var modCacheInside = view.GoModCache is not null && PathChecks.IsUnder(view.GoModCache, workspace) ? Path.GetFullPath(view.GoModCache) : null;
        var scan = WorkspaceScan.Run(workspace, modCacheInside, cancellationToken);
        CheckGoWork(workspace, env, view, findings);
        CheckGoFlags(workspace, env, view, findings);
        CheckGopathCopies(view, scan, findings);
        if (modCacheInside is not null)
        {
            findings.Add(Warning(
                DoctorCodes.ModCacheInWorkspace,
                $"GOMODCACHE={view.GoModCache} is inside the workspace {workspace}: editors, file watchers and the debugger see thousands of read-only dependency sources as workspace files.",
                "Run 'go clean -modcache', then set GOMODCACHE to a folder outside the workspace (or unset it and GOPATH to use ~/go/pkg/mod)."));
        }

        await CheckDelveAsync(go, dlvExecutable, findings, host.Processes, cancellationToken).ConfigureAwait(false);
        if (settings.CheckDelveRelease && await DelveReleaseCheck.CheckAsync(dlvExecutable, settings.CacheDirectory, host, cancellationToken).ConfigureAwait(false) is { } release)
        {
            findings.Add(release);
        }

        if (go is not null) CheckToolchainSwitch(go, env, view, findings);
        CheckInstallDirectoryOnPath(env, view, findings);
        CheckInotify(settings.InotifyMaxUserWatchesFile, workspace, scan, findings);

        // OrderByDescending is stable, so within a severity the findings keep their code order.
        var ordered = findings.OrderByDescending(f => f.Severity).ToArray();
        Log(host, workspace, requirement, go, ordered);
        return new GoDoctorReport(ordered);
    }

    /// <summary>Like <see cref="RunAsync"/>, first looking for whichever of go and dlv the caller did not supply (nothing is installed).</summary>
    public static async Task<GoDoctorReport> RunFindingToolsAsync(GoDoctorSettings settings, GoTool? go, string? dlvExecutable, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        var env = settings.Environment ?? DoctorEnvironment.From(host.Environment);
        go ??= await DoctorToolFinder.FindGoAsync(env, settings.Workspace, settings.CacheDirectory, host.Log, cancellationToken).ConfigureAwait(false);
        dlvExecutable ??= DoctorToolFinder.FindDlv(env, settings.CacheDirectory);
        return await RunAsync(settings with { Environment = env }, go, dlvExecutable, host, cancellationToken).ConfigureAwait(false);
    }

    private static GoRequirement? CheckGo(string workspace, GoTool? go, List<GoDoctorFinding> findings)
    {
        GoRequirement? requirement = null;
        try
        {
            requirement = GoRequirementResolver.Resolve(null, workspace);
        }
        catch (GoDebugException ex)
        {
            findings.Add(Error(DoctorCodes.RequirementUnreadable, ex.Message, "Correct that line; every go command in the workspace fails on it too."));
        }

        var needs = requirement is null ? "Go" : $"Go ({requirement})";
        if (go is null)
        {
            findings.Add(Error(DoctorCodes.NoGo, $"No go found: the workspace {workspace} needs {needs} and none is on PATH.", FixHint.Run(GoStep.Toolchain).Or("install Go and put its bin folder on PATH")));
        }
        else if (requirement is not null && !requirement.IsSatisfiedBy(go.Version))
        {
            findings.Add(Error(DoctorCodes.GoTooOld, $"go {go.Version} ({go.Executable}) does not satisfy {requirement}.", FixHint.Run(GoStep.Toolchain).Or($"put a go {requirement.Minimum} or newer first on PATH")));
        }

        return requirement;
    }

    private static void CheckGoWork(string workspace, IReadOnlyDictionary<string, string?> env, GoEnvironmentView view, List<GoDoctorFinding> findings)
    {
        var ownWork = Path.Combine(workspace, "go.work");
        var fromEnvironment = DoctorEnvironment.Get(env, "GOWORK") is not null;
        if (view.GoWork == "off")
        {
            // A warning, not an error: GOWORK=off is Go's documented way to check one module on its own, so it may be
            // deliberate; the effect (sibling modules come from the module cache or fail to resolve) is at least visible.
            if (File.Exists(ownWork))
            {
                findings.Add(Warning(DoctorCodes.GoWorkOff, $"GOWORK=off while {ownWork} exists: go ignores the workspace, so sibling modules are built from the module cache (or fail to resolve) and breakpoints in their workspace sources are not hit.", "Unset GOWORK (unset GOWORK, or go env -u GOWORK)."));
            }
        }
        else if (view.GoWork is not null && Path.IsPathRooted(view.GoWork) && !PathChecks.IsUnder(view.GoWork, workspace))
        {
            // An error: go silently builds the module set of another go.work, so what runs under the debugger is not this workspace's code.
            var how = fromEnvironment ? "the GOWORK environment variable" : "go found it in a parent folder";
            var fix = fromEnvironment
                ? FixHint.Text(File.Exists(ownWork) ? $"Unset GOWORK so go uses {ownWork}." : $"Unset GOWORK and run 'go work init' and 'go work use -r .' in {workspace}.")
                : FixHint.Set(GoSetting.Workspace, Path.GetDirectoryName(view.GoWork)).Or($"run 'go work init' and 'go work use -r .' in {workspace} so the workspace has its own go.work");
            findings.Add(Error(DoctorCodes.GoWorkOutside, $"GOWORK={view.GoWork} ({how}) is outside the workspace {workspace}: go builds the modules that file lists, not this workspace's.", fix));
        }
    }

    private static void CheckGoFlags(string workspace, IReadOnlyDictionary<string, string?> env, GoEnvironmentView view, List<GoDoctorFinding> findings)
    {
        var workFile = view.GoWork is not null && view.GoWork != "off" ? view.GoWork : null;
        // -mod=mod is legitimate in a single module; only workspace mode rejects it.
        if (view.GoFlags is null || workFile is null) return;
        var fromEnvironment = DoctorEnvironment.Get(env, "GOFLAGS") is not null;
        foreach (var flag in view.GoFlags.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var m = ModFlag().Match(flag);
            if (!m.Success) continue;
            var workRoot = Path.GetDirectoryName(workFile) ?? workspace;
            // 'go work vendor' (Go 1.22+) makes -mod=vendor valid in workspace mode.
            if (m.Groups["mode"].Value == "vendor" && File.Exists(Path.Combine(workRoot, "vendor", "modules.txt"))) continue;
            var origin = fromEnvironment ? "the GOFLAGS environment variable" : $"set with 'go env -w' in {view.GoEnvFile}";
            var fix = fromEnvironment ? $"Remove {flag} from GOFLAGS; workspace mode needs the default -mod=readonly." : $"Run 'go env -u GOFLAGS' (or 'go env -w GOFLAGS=...' without {flag}).";
            var effect = m.Groups["mode"].Value == "mod" ? "go refuses -mod=mod there" : "go reads vendor/modules.txt, which only 'go work vendor' writes";
            findings.Add(Error(DoctorCodes.GoFlagsMod, $"GOFLAGS={view.GoFlags} ({origin}) contains {flag}, which breaks workspace mode ({workFile}): {effect}.", fix));
        }
    }

    private static void CheckGopathCopies(GoEnvironmentView view, WorkspaceScan scan, List<GoDoctorFinding> findings)
    {
        foreach (var module in scan.Modules)
        {
            foreach (var entry in view.GoPath)
            {
                var copy = Path.Combine([entry, "src", .. module.Path.Split('/')]);
                if (!Directory.Exists(copy) || PathChecks.SamePath(copy, module.Directory)) continue;
                findings.Add(Warning(DoctorCodes.StaleGopathCopy, $"Module {module.Path} ({module.GoMod}) also exists under GOPATH at {copy}: a debugger or editor resolving sources through GOPATH/src may show that stale copy.", $"Delete or move {copy}; module builds never use it."));
            }
        }
    }

    private static async Task CheckDelveAsync(GoTool? go, string? dlv, List<GoDoctorFinding> findings, IProcessRunner processes, CancellationToken cancellationToken)
    {
        if (dlv is null)
        {
            findings.Add(Warning(DoctorCodes.DlvMissing, "dlv (Delve) was not found in GOBIN, GOPATH/bin, on PATH or in our cache: the Debug target cannot start a debugger.", FixHint.Run(GoStep.Delve).Or(GoInstallDelve)));
            return;
        }

        ProcessResult result;
        try
        {
            result = await processes.RunAsync(dlv, ["version"], null, cancellationToken).ConfigureAwait(false);
        }
        catch (GoDebugException ex)
        {
            findings.Add(Warning(DoctorCodes.DlvUnusable, $"dlv at {dlv} does not run: {ex.Message}", FreshDelve));
            return;
        }

        var version = result.Succeeded ? DelveInstaller.ParseVersionOutput(result.StandardOutput) : null;
        if (version is null)
        {
            findings.Add(Warning(DoctorCodes.DlvUnusable, $"'{dlv} version' reported no version (exit code {result.ExitCode}): {Detail(result)}", FreshDelve));
        }
        else if (go is not null && !DelveInstaller.Supports(version, go.Version))
        {
            findings.Add(Warning(DoctorCodes.DlvTooOld, $"dlv {version} ({dlv}) supports Go up to {DelveInstaller.NewestSupportedGo(version)}, but go is {go.Version}: dlv refuses to start unless given --check-go-version=false and may misread the binary.", FreshDelve));
        }
    }

    private static void CheckToolchainSwitch(GoTool go, IReadOnlyDictionary<string, string?> env, GoEnvironmentView view, List<GoDoctorFinding> findings)
    {
        // Go before 1.21 ignores GOTOOLCHAIN.
        if (go.Version < GoVersion.Parse("1.21")) return;
        var envFile = view.GoEnvFile is null or "off" ? null : view.GoEnvFile;
        var setting = ToolchainSwitch.Resolve(DoctorEnvironment.Get(env, "GOTOOLCHAIN"), envFile, view.GoRoot ?? go.GoRoot);
        if (setting is null) return;
        var modFile = view.GoWork is not null && view.GoWork != "off" && File.Exists(view.GoWork) ? view.GoWork
            : view.GoMod is not null && File.Exists(view.GoMod) && Path.GetFileName(view.GoMod) == "go.mod" ? view.GoMod
            : null;
        GoRequirement? required = null;
        try
        {
            required = modFile is null ? null : GoRequirementResolver.ReadModFile(modFile);
        }
        catch (GoDebugException)
        {
            // Reported as GODR003 when it is the workspace's requirement file; a switch cannot be predicted from a broken file.
        }

        var target = ToolchainSwitch.WouldDownload(setting.Value, go.Version, required, name => DoctorToolFinder.OnPath(env, name) is not null);
        if (target is null) return;
        var why = required is not null && required.Minimum.ToGoString() == target ? $" because {required} asks for it" : string.Empty;
        findings.Add(Warning(
            DoctorCodes.ToolchainDownload,
            $"GOTOOLCHAIN={setting.Value} (from {setting.Origin}) makes go download and run {target} instead of the local go {go.Version}{why}; offline or in CI that fails, and the debugger then sees another Go.",
            FixHint.Run(GoStep.Toolchain).Or("set GOTOOLCHAIN=local (export GOTOOLCHAIN=local, or go env -w GOTOOLCHAIN=local); the Toolchain step then installs the Go the workspace needs")));
    }

    private static void CheckInstallDirectoryOnPath(IReadOnlyDictionary<string, string?> env, GoEnvironmentView view, List<GoDoctorFinding> findings)
    {
        var dir = view.InstallDirectory;
        if (dir is null) return;
        var path = GoEnvironmentView.SplitList(DoctorEnvironment.Get(env, "PATH"));
        if (path.Any(p => PathChecks.SamePath(p, dir))) return;
        var name = view.GoBin is not null ? "GOBIN" : "$GOPATH/bin";
        // A notice: our own steps find dlv there without PATH; only running tools by hand or from an editor needs it.
        findings.Add(new GoDoctorFinding(GoDiagnosticSeverity.Notice, DoctorCodes.GoBinNotOnPath, $"{name} ({dir}) is not on PATH: tools installed with 'go install' (dlv, gopls) are not found from a shell or an editor.", FixHint.Text($"Add it to PATH in your shell profile: export PATH=\"$PATH{Path.PathSeparator}{dir}\".")));
    }

    private static void CheckInotify(string limitFile, string workspace, WorkspaceScan scan, List<GoDoctorFinding> findings)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(limitFile)) return;
        if (!int.TryParse(File.ReadAllText(limitFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit)) return;
        if (limit >= scan.DirectoryCount) return;
        var suggested = Math.Max(524288u, BitOperations.RoundUpToPowerOf2((uint)scan.DirectoryCount * 2));
        findings.Add(Warning(
            DoctorCodes.InotifyLimit,
            $"fs.inotify.max_user_watches is {limit} ({limitFile}), below the {scan.DirectoryCount} folders of {workspace} (not counting .git, vendor, node_modules): rebuild-on-save and editors stop seeing changes.",
            $"sudo sysctl fs.inotify.max_user_watches={suggested}, and keep it across reboots: echo fs.inotify.max_user_watches={suggested} | sudo tee /etc/sysctl.d/90-inotify-watches.conf"));
    }

    private static void Log(GoDebugHost host, string workspace, GoRequirement? requirement, GoTool? go, IReadOnlyList<GoDoctorFinding> findings)
    {
        var log = host.Log;
        log.Info($"Doctor: workspace {workspace}; go {(go is null ? "(none)" : $"{go.Version} ({go.Executable})")}; requires {(requirement?.ToString() ?? "(nothing stated)")}.");
        if (findings.Count > 0)
        {
            foreach (var line in DoctorTable.Format(findings, host.Hints)) log.Info(line);
        }

        log.Info(DoctorTable.Summary(findings));
    }

    private static GoDoctorFinding Error(string code, string problem, FixHint fix) => new(GoDiagnosticSeverity.Error, code, problem, fix);

    private static GoDoctorFinding Error(string code, string problem, string fix) => Error(code, problem, FixHint.Text(fix));

    private static GoDoctorFinding Warning(string code, string problem, FixHint fix) => new(GoDiagnosticSeverity.Warning, code, problem, fix);

    private static GoDoctorFinding Warning(string code, string problem, string fix) => Warning(code, problem, FixHint.Text(fix));

    private static string Detail(ProcessResult result)
        => (string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError).Trim().ReplaceLineEndings(" ");

    [GeneratedRegex("^--?mod=(?<mode>mod|vendor)$", RegexOptions.CultureInvariant)]
    private static partial Regex ModFlag();
}
