namespace GoDebug.Tasks.Building;

/// <summary>A module as <c>go list -m -json</c> prints it (only the fields the build reads).</summary>
internal sealed record GoListModule
{
    public string Path { get; init; } = string.Empty;

    public string? Version { get; init; }

    public bool Main { get; init; }

    public string? Dir { get; init; }

    public GoListModule? Replace { get; init; }

    /// <summary>
    /// True when the module's source lives in the user's tree (a workspace module or a replace by a
    /// directory): its files are hashed. Everything else comes from the module cache and is keyed by go.sum.
    /// </summary>
    public bool IsLocal => Main || (Replace is { } r ? string.IsNullOrEmpty(r.Version) : string.IsNullOrEmpty(Version));
}

/// <summary>An error go list attached to a package.</summary>
internal sealed record GoListError
{
    public string Err { get; init; } = string.Empty;
}

/// <summary>A package as <c>go list -deps -json</c> prints it (only the fields the build reads).</summary>
internal sealed record GoListPackage
{
    /// <summary>The <c>-json=</c> field list: asking only for these keeps go list's output small.</summary>
    public const string Fields = "ImportPath,Name,Dir,Module,Standard,DepOnly,Deps,Error,"
        + "GoFiles,CgoFiles,CFiles,CXXFiles,MFiles,HFiles,FFiles,SFiles,SwigFiles,SwigCXXFiles,SysoFiles,EmbedFiles";

    public string ImportPath { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string? Dir { get; init; }

    public GoListModule? Module { get; init; }

    public bool Standard { get; init; }

    public bool DepOnly { get; init; }

    public IReadOnlyList<string> Deps { get; init; } = [];

    public GoListError? Error { get; init; }

    public IReadOnlyList<string> GoFiles { get; init; } = [];

    public IReadOnlyList<string> CgoFiles { get; init; } = [];

    public IReadOnlyList<string> CFiles { get; init; } = [];

    public IReadOnlyList<string> CXXFiles { get; init; } = [];

    public IReadOnlyList<string> MFiles { get; init; } = [];

    public IReadOnlyList<string> HFiles { get; init; } = [];

    public IReadOnlyList<string> FFiles { get; init; } = [];

    public IReadOnlyList<string> SFiles { get; init; } = [];

    public IReadOnlyList<string> SwigFiles { get; init; } = [];

    public IReadOnlyList<string> SwigCXXFiles { get; init; } = [];

    public IReadOnlyList<string> SysoFiles { get; init; } = [];

    public IReadOnlyList<string> EmbedFiles { get; init; } = [];

    public bool IsMain => string.Equals(Name, "main", StringComparison.Ordinal);

    /// <summary>Absolute paths of every file the compiler reads for this package (build constraints already applied by go list).</summary>
    public IEnumerable<string> SourceFiles()
    {
        if (Dir is null) return [];
        return new[] { GoFiles, CgoFiles, CFiles, CXXFiles, MFiles, HFiles, FFiles, SFiles, SwigFiles, SwigCXXFiles, SysoFiles, EmbedFiles }
            .SelectMany(files => files)
            .Select(f => System.IO.Path.GetFullPath(System.IO.Path.Combine(Dir, f)));
    }
}
