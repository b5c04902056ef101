using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Doctor;

/// <summary>What Doctor examines.</summary>
public sealed record GoDoctorSettings
{
    /// <summary>Root of the Go workspace.</summary>
    public string Workspace { get; init; } = ".";

    /// <summary>Fail (non-zero exit) when any finding is an error.</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Per-user cache root where the Toolchain and Delve steps install (searched, never written, when no go or dlv
    /// is given). Null: the same default as <see cref="Toolchain.GoToolchainSettings.CacheDirectory"/>.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// The variables Doctor reads (<see cref="DoctorEnvironment.Names"/>); null reads this process's.
    /// A missing key means unset, also for the go commands Doctor runs, so a snapshot fully decides what go sees.
    /// </summary>
    internal IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>
    /// Ask GitHub how far the dlv found is behind Delve's latest release (cached for a day; "unknown" offline).
    /// Off in tests of the other checks, whose findings it would join.
    /// </summary>
    internal bool CheckDelveRelease { get; init; } = true;

    /// <summary>Where Linux publishes the per-user inotify watch limit.</summary>
    internal string InotifyMaxUserWatchesFile { get; init; } = "/proc/sys/fs/inotify/max_user_watches";
}

/// <summary>One problem Doctor found.</summary>
/// <param name="Severity">How bad it is.</param>
/// <param name="Code">Stable identifier (GODR…).</param>
/// <param name="Problem">What is wrong, naming the variable, file or tool.</param>
/// <param name="Fix">What to do about it, as data each front end words for its users.</param>
public sealed record GoDoctorFinding(GoDiagnosticSeverity Severity, string Code, string Problem, FixHint Fix);

/// <summary>Everything Doctor found.</summary>
/// <param name="Findings">Findings, errors first.</param>
public sealed record GoDoctorReport(IReadOnlyList<GoDoctorFinding> Findings)
{
    /// <summary>True when any finding is an error.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == GoDiagnosticSeverity.Error);
}
