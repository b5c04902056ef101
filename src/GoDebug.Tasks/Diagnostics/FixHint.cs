namespace GoDebug.Tasks.Diagnostics;

/// <summary>
/// A setting a user can change to fix a problem. Engines name the setting; each front end spells it in its
/// users' words (a Cake argument, an MSBuild property).
/// </summary>
public enum GoSetting
{
    /// <summary>The Go workspace folder.</summary>
    Workspace,

    /// <summary>The Go version requirement.</summary>
    GoVersion,

    /// <summary>Where the Go toolchain comes from (<see cref="Toolchain.GoSource"/>).</summary>
    GoSource,

    /// <summary>Whether the toolchain step may refresh Debian's package lists first.</summary>
    AptUpdate,

    /// <summary>The Delve version to install.</summary>
    DelveVersion,

    /// <summary>Where Delve comes from (<see cref="Toolchain.DelveSource"/>).</summary>
    DelveSource,

    /// <summary>The address dlv listens on.</summary>
    DlvListen,

    /// <summary>Opt-in for a dlv address other than loopback.</summary>
    DlvAllowRemote,

    /// <summary>Which main package to run.</summary>
    Program,

    /// <summary>Compare go.work instead of writing it.</summary>
    WorkSyncCheck,

    /// <summary>Poll the tree instead of using file-system events.</summary>
    WatchPolling,

    /// <summary>Globs of files and folders the watcher ignores.</summary>
    WatchExclude,

    /// <summary>KEY=VALUE variables for the watched program.</summary>
    ProgramEnvironment,

    /// <summary>The base URL of the service to profile.</summary>
    ProfileUrl,

    /// <summary>Seconds of the CPU profile and execution trace.</summary>
    ProfileSeconds,

    /// <summary>The environment variable holding a bearer token for the pprof endpoints.</summary>
    ProfileTokenVariable,

    /// <summary>Which profiles to capture.</summary>
    ProfileSet,

    /// <summary>The per-request timeout of a profile capture.</summary>
    ProfileTimeout,

    /// <summary>The commit or branch the affected-module matrix compares with.</summary>
    MatrixBase,

    /// <summary>The most jobs the affected-module matrix may have.</summary>
    MatrixMaxJobs,

    /// <summary>Fail the step when the pull request comment cannot be written.</summary>
    FailOnCommentError,
}

/// <summary>A step of ours a user can run to fix a problem.</summary>
public enum GoStep
{
    /// <summary>Find or install the Go toolchain.</summary>
    Toolchain,

    /// <summary>Find or install Delve.</summary>
    Delve,

    /// <summary>Write go.work from the modules found.</summary>
    WorkspaceSync,

    /// <summary>Build the workspace's main packages.</summary>
    Build,
}

/// <summary>One setting and the value to give it.</summary>
/// <param name="Setting">Which setting.</param>
/// <param name="Value">The value in the engine's terms (an enum member name, an address); null for a switch that is turned on or a value the user chooses.</param>
public sealed record SettingValue(GoSetting Setting, string? Value = null);

/// <summary>
/// What to do about a problem, as data: run one of our steps, with settings, and/or a command of another
/// tool (<c>apt-get update</c>, <c>go clean -modcache</c>). Front ends render it in their own words, so an
/// MSBuild user never reads a Cake flag and a Cake user never reads an MSBuild property.
/// </summary>
public sealed record FixHint
{
    /// <summary>Our step to run, or null when only settings change.</summary>
    public GoStep? Step { get; init; }

    /// <summary>Settings to pass (with <see cref="Step"/>, or on the next run).</summary>
    public IReadOnlyList<SettingValue> Settings { get; init; } = [];

    /// <summary>Advice that names no setting of ours: another tool's command, a file to edit. Shown as is.</summary>
    public string? Note { get; init; }

    /// <summary>Run <paramref name="step"/>, optionally with settings.</summary>
    public static FixHint Run(GoStep step, params SettingValue[] settings) => new() { Step = step, Settings = settings };

    /// <summary>Change <paramref name="setting"/> to <paramref name="value"/>.</summary>
    public static FixHint Set(GoSetting setting, string? value = null) => new() { Settings = [new SettingValue(setting, value)] };

    /// <summary>Advice in plain words that names none of our settings.</summary>
    public static FixHint Text(string note) => new() { Note = note };

    /// <summary>This hint with <paramref name="note"/> added after it ("or: …").</summary>
    public FixHint Or(string note) => this with { Note = note };
}

/// <summary>Turns a <see cref="FixHint"/> into the words of one front end.</summary>
internal interface IHintRenderer
{
    string Render(FixHint hint);
}

/// <summary>
/// The front-end-neutral form (setting and step names as the engine knows them), for a host made without a
/// front end (engine tests, benchmarks); real users always get a front end's renderer.
/// </summary>
internal sealed class NeutralHintRenderer : IHintRenderer
{
    public static NeutralHintRenderer Instance { get; } = new();

    public string Render(FixHint hint)
    {
        var settings = hint.Settings.Select(s => s.Value is null ? s.Setting.ToString() : $"{s.Setting}={s.Value}");
        var words = (hint.Step is { } step ? [$"run the {step} step"] : Array.Empty<string>()).Concat(settings.Any() ? ["set " + string.Join(", ", settings)] : []);
        return HintText.WithNote(string.Join(" with ", words), hint.Note);
    }
}

/// <summary>The part every renderer shares: advice that names none of our settings follows the front end's own.</summary>
internal static class HintText
{
    public static string WithNote(string action, string? note)
        => string.IsNullOrEmpty(note) ? action
            : action.Length == 0 ? note
            : $"{action}; or: {note}";
}
