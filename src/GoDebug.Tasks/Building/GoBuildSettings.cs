namespace GoDebug.Tasks.Building;

/// <summary>Which flags a build uses.</summary>
public enum GoBuildConfiguration
{
    /// <summary><c>-gcflags=all=-N -l</c>: no optimisation or inlining, what a debugger needs.</summary>
    Debug,

    /// <summary>Default optimisation with <c>-trimpath</c>.</summary>
    Release,
}

/// <summary>
/// What a build is for beyond its configuration: the extra flags it links with and whether it has an output folder
/// and state of its own. Every purpose's flags are in <see cref="GoBuildOptions.BuildFlags"/>.
/// </summary>
internal enum GoBuildProfile
{
    /// <summary>Build, Debug and DlvTrace: the configuration's flags with DWARF, which dlv reads.</summary>
    Standard,

    /// <summary>Watch without a debugger: linked without DWARF, in its own folder.</summary>
    Reload,

    /// <summary>Watch with DWARF kept for a later <c>dlv attach</c>, in the same folder as <see cref="Reload"/>.</summary>
    ReloadWithDwarf,
}

/// <summary>What to build and how.</summary>
public sealed record GoBuildSettings
{
    /// <summary>Root of the Go workspace (go.work) or a single module.</summary>
    public string Workspace { get; init; } = ".";

    /// <summary>Debug or Release flags.</summary>
    public GoBuildConfiguration Configuration { get; init; } = GoBuildConfiguration.Debug;

    /// <summary>Main packages to build (import paths or directories); empty builds every main package.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>
    /// Also compile-check library modules (workspace modules without a main package): their packages
    /// are compiled, nothing is written, and each module appears in the result with an empty output path.
    /// </summary>
    public bool CheckLibraries { get; init; }

    /// <summary>Extra build tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Extra <c>-ldflags</c>.</summary>
    public string? LdFlags { get; init; }

    /// <summary>Build with <c>-race</c>.</summary>
    public bool Race { get; init; }

    /// <summary>Cross-compile target OS; null for the host.</summary>
    public string? GoOS { get; init; }

    /// <summary>Cross-compile target architecture; null for the host.</summary>
    public string? GoArch { get; init; }

    /// <summary>
    /// Where binaries go; null: <c>&lt;workspace&gt;/.godebug/bin/&lt;configuration&gt;</c>, with a
    /// <c>&lt;goos&gt;_&lt;goarch&gt;</c> subfolder when <see cref="GoOS"/> or <see cref="GoArch"/> is set.
    /// A binary is named after the last element of its import path (<c>.exe</c> for Windows); two
    /// targets with the same last element are both named after their whole import path instead
    /// (<c>example.com_svc_cmd_server</c>).
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Sets <c>CGO_ENABLED</c> to 1 or 0; null leaves go's default (the environment's value).</summary>
    public bool? CgoEnabled { get; init; }

    /// <summary>Set by the engine that builds (Watch picks <see cref="GoBuildProfile.Reload"/>), never by a front end.</summary>
    internal GoBuildProfile Profile { get; init; }
}

/// <summary>One built (or skipped) main package, or a library module's compile check.</summary>
/// <param name="Package">Import path; <c>module/...</c> for a library module's compile check.</param>
/// <param name="ModuleDirectory">Absolute directory of its module.</param>
/// <param name="OutputPath">Absolute path of the binary; empty for a library module's compile check.</param>
/// <param name="Skipped">True when its fingerprint matched the last successful build.</param>
/// <param name="Succeeded">False when go build failed (the previous binary is kept).</param>
public sealed record GoBuildTargetResult(string Package, string ModuleDirectory, string OutputPath, bool Skipped, bool Succeeded);

/// <summary>Outcome of a build.</summary>
/// <param name="Targets">Every target, sorted by <see cref="GoBuildTargetResult.Package"/>.</param>
/// <param name="Diagnostics">Compile errors (absolute paths, line and column), and a GO1001 error for a failure go did not place.</param>
public sealed record GoBuildResult(IReadOnlyList<GoBuildTargetResult> Targets, IReadOnlyList<GoDebug.Tasks.Diagnostics.GoDiagnostic> Diagnostics)
{
    /// <summary>True when no target failed.</summary>
    public bool Succeeded => Targets.All(t => t.Succeeded);

    /// <summary>Every input file the targets read (sources, embedded files, go.mod/go.sum/go.work), as the state records them.</summary>
    internal IReadOnlyCollection<string> InputFiles { get; init; } = [];
}
