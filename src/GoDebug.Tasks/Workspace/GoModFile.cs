namespace GoDebug.Tasks.Workspace;

/// <summary>A module path and (possibly empty) version, as Go's module.Version.</summary>
internal sealed record ModuleVersion(string Path, string Version);

/// <summary>A <c>godebug key=value</c> setting.</summary>
internal sealed record GoDebugSetting(string Key, string Value, int Line);

/// <summary>A <c>require</c> line; <see cref="Indirect"/> comes from a <c>// indirect</c> comment.</summary>
internal sealed record ModRequire(string Path, string Version, bool Indirect, int Line);

/// <summary>A <c>replace</c> line: <see cref="Old"/>'s version is empty when every version is replaced; <see cref="New"/>'s when it is a directory.</summary>
internal sealed record ModReplace(ModuleVersion Old, ModuleVersion New, int Line);

/// <summary>A <c>retract</c> of one version (<see cref="Low"/> = <see cref="High"/>) or a closed range, with its comment as rationale.</summary>
internal sealed record ModRetract(string Low, string High, string Rationale, int Line);

/// <summary>
/// A go.mod file as <c>go mod edit -json</c> shows it: every directive the Go toolchain accepts, values unquoted and
/// canonical (retract versions as written), repeated excludes and replaces dropped the way go drops them.
/// <see cref="Module"/> is empty (and <see cref="ModuleLine"/> 0) when the file has no module line.
/// </summary>
internal sealed record GoModFile(
    string FilePath,
    string Module,
    int ModuleLine,
    string Deprecated,
    string? Go,
    int GoLine,
    string? Toolchain,
    int ToolchainLine,
    IReadOnlyList<GoDebugSetting> Godebug,
    IReadOnlyList<ModRequire> Require,
    IReadOnlyList<ModuleVersion> Exclude,
    IReadOnlyList<ModReplace> Replace,
    IReadOnlyList<ModRetract> Retract,
    IReadOnlyList<string> Tool,
    IReadOnlyList<string> Ignore)
{
    /// <summary>The folder holding the go.mod.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(FilePath)!;
}

/// <summary>A <c>use</c> entry of go.work: the directory as written.</summary>
internal sealed record WorkUse(string DiskPath, int Line);

/// <summary>
/// A go.work file. The source text of each statement is kept (<see cref="StatementText"/>) so a
/// rewrite can carry the user's toolchain/godebug/replace lines, comments included, over unchanged.
/// </summary>
internal sealed record GoWorkFile(
    string FilePath,
    string? Go,
    int GoLine,
    string? Toolchain,
    int ToolchainLine,
    IReadOnlyList<GoDebugSetting> Godebug,
    IReadOnlyList<WorkUse> Use,
    IReadOnlyList<ModReplace> Replace,
    IReadOnlyList<(string Verb, string Text)> StatementText,
    string HeaderComment);
