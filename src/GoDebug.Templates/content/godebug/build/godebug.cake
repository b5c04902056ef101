// The GoDebug targets: the build graph `dotnet new godebug` writes into a repository as build/godebug.cake, loaded by
// its build/build.cake (which brings the Cake.GoDebug addin and defines DefaultWorkspace()). This repository's own
// build/build.cake loads this same file, so what users get and what is tested here cannot drift.

var target = Argument("target", "Default");
var repoRoot = MakeAbsolute(Directory("..")).FullPath;
// Path arguments are relative to the repository root, where build.sh and build.ps1 run from (Cake itself would take
// them from build/).
string RepoPath(string path) => System.IO.Path.GetFullPath(path, repoRoot);
// --workspace=PATH, else the main script's DefaultWorkspace(); looked up on first use, so a target that needs no
// workspace (Comment, ProfileDiff) runs in a repository where none can be found.
string workspaceFound;
string workspace => workspaceFound ??= HasArgument("workspace") ? RepoPath(Argument<string>("workspace")) : DefaultWorkspace();
var plainOutput = Argument("plain-output", !string.IsNullOrEmpty(EnvironmentVariable("CI")) || System.Console.IsOutputRedirected);
var cacheDir = Argument<string>("cache-dir", null);
var configuration = Argument("configuration", "Debug");

GoToolchainResult go = null;
DelveResult dlv = null;
GoBuildResult built = null;

T ParseEnum<T>(string name, string value) where T : struct
{
    // TryParse also takes any number, which names no member.
    if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(typeof(T), parsed)) return parsed;
    throw new CakeException($"--{name}={value} is not one of: {string.Join(", ", Enum.GetNames(typeof(T))).ToLowerInvariant()}");
}

Task("Toolchain")
    .Description("Find or install the Go toolchain the workspace needs (cache, PATH, download, apt).")
    .Does(() =>
{
    go = GoEnsureToolchain(new GoToolchainSettings
    {
        Version = Argument<string>("go-version", null),
        WorkingDirectory = workspace,
        Source = ParseEnum<GoSource>("go-source", Argument("go-source", "auto")),
        CacheDirectory = cacheDir,
        AptUpdate = HasArgument("apt-update") ? Argument("apt-update", true) : null,
        PlainOutput = plainOutput,
    });
    Information("go: {0} ({1}, from {2})", go.GoExecutable, go.Version, go.Source.ToString().ToLowerInvariant());
    // As actions/setup-go does: later steps of the job run this go.
    if (GitHubActions.IsRunningOnGitHubActions && HasEnvironmentVariable("GITHUB_PATH")) GitHubActions.Commands.AddPath(Directory(System.IO.Path.GetDirectoryName(go.GoExecutable)));
});

Task("Delve")
    .Description("Find or install dlv for the Go in use (installed, go install, apt).")
    .IsDependentOn("Toolchain")
    .Does(() =>
{
    dlv = GoEnsureDelve(go, new DelveSettings
    {
        Version = Argument("dlv-version", "latest"),
        Source = ParseEnum<DelveSource>("dlv-source", Argument("dlv-source", "auto")),
        CacheDirectory = cacheDir,
        AptUpdate = HasArgument("apt-update") ? Argument("apt-update", true) : null,
    });
    Information("dlv: {0} ({1}, from {2})", dlv.DlvExecutable, dlv.Version, dlv.Source.ToString().ToLowerInvariant());
});

Task("Doctor")
    .Description("Diagnose GOPATH/GOWORK/GOFLAGS/GOTOOLCHAIN conflicts, dlv/Go mismatches and watch limits. --strict fails on errors.")
    .Does(() =>
{
    GoDoctor(new GoDoctorSettings { Workspace = workspace, CacheDirectory = cacheDir, Strict = HasArgument("strict") && Argument("strict", true) });
});

Task("Workspace")
    .Description("Write go.work from the modules under --workspace; --check only compares (CI gate).")
    .Does(() =>
{
    GoWorkSync(new GoWorkSyncSettings { Workspace = workspace, Check = HasArgument("check") && Argument("check", true) }, go);
});

Task("VSCode")
    .Description("Write .vscode/launch.json and a .code-workspace for the workspace's modules.")
    .IsDependentOn("Toolchain")
    .Does(() =>
{
    GoVSCodeConfig(new GoVSCodeSettings { Workspace = workspace }, go);
});

Task("Build")
    .Description("Incremental Go builds of the workspace's main packages (--configuration=Debug|Release).")
    .IsDependentOn("Toolchain")
    .IsDependentOn("Workspace")
    .Does(() =>
{
    var targets = Argument("targets", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    built = GoBuild(go, new GoBuildSettings
    {
        Workspace = workspace,
        Configuration = ParseEnum<GoBuildConfiguration>("configuration", configuration),
        Targets = targets,
    });
    foreach (var t in built.Targets)
    {
        Information("{0,-8} {1} -> {2}", t.Skipped ? "skipped" : "built", t.Package, t.OutputPath);
    }
});

Task("Debug")
    .Description("The main job: toolchain, dlv, go.work, a debug build, then the program under headless dlv until Ctrl+C, reloaded in place on every save (--watch=false: no reload).")
    .IsDependentOn("Delve")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (Argument("watch", true))
    {
        GoDebugServe(dlv, go, new DelveSessionSettings
        {
            ListenAddress = Argument("dlv-listen", "127.0.0.1:2345"),
            AllowRemote = HasArgument("dlv-allow-remote") && Argument("dlv-allow-remote", true),
        }, WatchSettings());
        return;
    }

    GoDebugServe(dlv, built, new DelveSessionSettings
    {
        ProgramArguments = ProgramArguments.Parse(Argument("program-args", string.Empty), "--program-args"),
        ListenAddress = Argument("dlv-listen", "127.0.0.1:2345"),
        AllowRemote = HasArgument("dlv-allow-remote") && Argument("dlv-allow-remote", true),
    }, Argument("program", string.Empty));
});

Task("Clean")
    .Description("Remove the Go build outputs of --configuration.")
    .Does(() =>
{
    GoClean(new GoBuildSettings { Workspace = workspace, Configuration = ParseEnum<GoBuildConfiguration>("configuration", configuration) });
});

GoWatchSettings WatchSettings() => new GoWatchSettings
{
    Build = new GoBuildSettings
    {
        Workspace = workspace,
        Configuration = ParseEnum<GoBuildConfiguration>("configuration", configuration),
        Targets = Argument("targets", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    },
    Program = Argument("program", string.Empty),
    ProgramArguments = ProgramArguments.Parse(Argument("program-args", string.Empty), "--program-args"),
    ProgramEnvironment = Arguments<string>("program-env", new string[0]).ToList(),
    GracePeriod = TimeSpan.FromSeconds(Argument("grace-period", 5.0)),
    StopSignal = ParseEnum<StopSignal>("stop-signal", Argument("stop-signal", "INT")),
    KeepDwarf = HasArgument("watch-dwarf") && Argument("watch-dwarf", true),
    Polling = HasArgument("watch-polling") && Argument("watch-polling", true),
    ExcludeGlobs = Argument("watch-exclude", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    Extensions = Argument("watch-ext", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    Once = HasArgument("once") && Argument("once", true),
};

Task("Watch")
    .Description("Hot reload without a debugger: build, run --program, and on every save rebuild what it reaches and restart it (--once: stop when first ready).")
    .IsDependentOn("Toolchain")
    .IsDependentOn("Workspace")
    .Does(() =>
{
    GoWatch(go, WatchSettings());
});

// Profiling: --url=http://host:port targets a running service; without it the built sample (or --program) is started.
ProfileCaptureSettings ProfileSettings(int defaultMallocSeconds) => new ProfileCaptureSettings
{
    BaseUrl = Argument("url", string.Empty),
    Profiles = ProfileSet.Parse(Argument("profiles", "all")),
    Seconds = Argument("seconds", 5),
    HeapGc = HasArgument("heap-gc") && Argument("heap-gc", true),
    TokenVariable = Argument<string>("token-env", null),
    OutputDirectory = RepoPath(Argument("output", "artifacts/profiles")),
    ServiceName = Argument<string>("service", null),
    RequestTimeout = TimeSpan.FromSeconds(Argument("timeout", 30)),
    MallocTraceSeconds = Argument("malloc-seconds", defaultMallocSeconds),
};

long SizeArgument(string name, string fallback)
{
    var text = Argument(name, fallback);
    return ProfileSet.TryParseSize(text) ?? throw new CakeException($"--{name}={text} is not a size (e.g. 8MB, 512KB, 1048576).");
}

Task("Profile")
    .Description("Capture heap, allocs, goroutine, block, mutex, threadcreate, CPU and trace (--seconds=5) into artifacts/profiles with report.html; --url=URL for a running service, else the sample is started and loaded.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var settings = ProfileSettings(Argument("seconds", 5));
    var result = HasArgument("url")
        ? GoProfile(settings, go)
        : GoProfileService(built, settings, Argument("program", string.Empty), null, go);
    Information("Report: {0}", result.ReportPath);
});

Task("LeakGate")
    .Description("Capture, send --requests=100 GETs of --load=PATH, capture again; fail when goroutines grew by more than --max-goroutine-growth=10 or the in-use heap by more than --max-heap-growth=8MB.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var result = GoLeakGate(new LeakGateSettings
    {
        Capture = ProfileSettings(0) with { Profiles = ProfileSet.Parse(Argument("profiles", "goroutine,heap,goroutineleak")) },
        LoadPath = Argument("load", HasArgument("url") ? "/" : "/hello"),
        Requests = Argument("requests", 100),
        MaxGoroutineGrowth = Argument("max-goroutine-growth", 10L),
        MaxHeapGrowthBytes = SizeArgument("max-heap-growth", "8MB"),
    }, HasArgument("url") ? null : built, Argument("program", string.Empty), go);
    Information("{0}", result.Message);
});

Task("ProfileDiff")
    .Description("Compare two saved captures (--base=DIR --head=DIR); fail when a function's CPU or alloc share grew by more than --threshold=5 points.")
    .Does(() =>
{
    if (!HasArgument("base") || !HasArgument("head")) throw new CakeException("ProfileDiff needs --base=DIR and --head=DIR (two capture folders under artifacts/profiles).");
    var result = GoProfileDiff(new ProfileDiffSettings
    {
        BaseDirectory = RepoPath(Argument<string>("base")),
        HeadDirectory = RepoPath(Argument<string>("head")),
        RegressionThreshold = Argument("threshold", 5.0),
        OutputDirectory = RepoPath(Argument("output", "artifacts/profiles")),
    });
    Information("{0}", result.Message);
});

Task("Matrix")
    .Description("Plan the CI job matrix: Go modules and .NET projects affected since --base=REF (--max-jobs=N caps the jobs).")
    .IsDependentOn("Toolchain")
    .Does(() =>
{
    GoAffectedMatrix(new AffectedMatrixSettings
    {
        Workspace = HasArgument("workspace") ? workspace : null,
        Base = Argument<string>("base", null),
        MaxJobs = Argument("max-jobs", 256),
    }, go);
});

Task("Comment")
    .Description("Post --comment-file=PATH (Markdown) as the pull request's report comment, updated in place; --fail-on-comment-error fails on refusal.")
    .Does(() =>
{
    var file = RepoPath(Argument<string>("comment-file", null) ?? throw new CakeException("--comment-file=PATH is required: the Markdown report to post."));
    if (!System.IO.File.Exists(file)) throw new CakeException($"--comment-file={file}: no such file.");
    GoPullRequestComment(System.IO.File.ReadAllText(file), new PullRequestCommentSettings { FailOnCommentError = HasArgument("fail-on-comment-error") && Argument("fail-on-comment-error", true) });
});

Task("DlvTrace")
    .Description("Trace calls of functions matching --trace-pattern=REGEX (dlv trace, with arguments) for --trace-seconds or until Ctrl+C; written under artifacts/traces/.")
    .IsDependentOn("Delve")
    .IsDependentOn("Build")
    .Does(() =>
{
    GoDlvTrace(dlv, built, new DelveTraceSettings
    {
        Pattern = Argument("trace-pattern", string.Empty),
        ProgramArguments = ProgramArguments.Parse(Argument("program-args", string.Empty), "--program-args"),
        Duration = HasArgument("trace-seconds") ? TimeSpan.FromSeconds(Argument("trace-seconds", 30.0)) : null,
        OutputDirectory = repoRoot + "/artifacts/traces",
    }, Argument("program", string.Empty));
});

Task("Default")
    .Description("Toolchain, Delve, workspace sync and a debug build of the workspace.")
    .IsDependentOn("Delve")
    .IsDependentOn("Build");
