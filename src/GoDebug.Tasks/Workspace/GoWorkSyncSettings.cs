using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Workspace;

/// <summary>How to bring a repository's go.work in line with its modules.</summary>
public sealed record GoWorkSyncSettings
{
    /// <summary>Root of the Go workspace (where go.work lives).</summary>
    public string Workspace { get; init; } = ".";

    /// <summary>Write nothing; report the difference and fail when go.work is out of date.</summary>
    public bool Check { get; init; }

    /// <summary>
    /// Extra folders to skip during discovery, as globs: without a <c>/</c> a pattern matches a folder
    /// name at any depth (<c>legacy-*</c>); with one it matches the path from <see cref="Workspace"/>
    /// (<c>tools/old</c>, <c>deep/**/generated</c>). <c>vendor</c>, <c>testdata</c>, <c>node_modules</c>,
    /// <c>bin</c>, <c>obj</c> and names starting with <c>.</c> or <c>_</c> are always skipped.
    /// </summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
}

/// <summary>Outcome of a go.work sync or check.</summary>
/// <param name="GoWorkPath">Absolute path of go.work.</param>
/// <param name="Changed">True when the file was written (sync) or would be (check).</param>
/// <param name="ModuleDirectories">Absolute directories of the used modules, sorted.</param>
/// <param name="Diff">Unified difference between the old and new go.work; empty when equal.</param>
/// <param name="Findings">Duplicate module paths, replace/require notices.</param>
public sealed record GoWorkSyncResult(
    string GoWorkPath,
    bool Changed,
    IReadOnlyList<string> ModuleDirectories,
    string Diff,
    IReadOnlyList<GoDiagnostic> Findings);
