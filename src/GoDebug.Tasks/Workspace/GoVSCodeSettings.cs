namespace GoDebug.Tasks.Workspace;

/// <summary>
/// What to write into <c>.vscode/launch.json</c> and the <c>.code-workspace</c> file: a launch
/// configuration per main package, a test configuration per module and a remote attach to our
/// headless dlv. Configurations we write are named with the prefix <c>"Go: "</c>; they are replaced
/// on every run, every other configuration is kept.
/// </summary>
public sealed record GoVSCodeSettings
{
    /// <summary>Root of the Go workspace (where go.work lives; .vscode/ is created there).</summary>
    public string Workspace { get; init; } = ".";

    /// <summary>Flags for debug builds: optimisations and inlining off so breakpoints and variables work.</summary>
    public string BuildFlags { get; init; } = Building.GoBuildOptions.DebugGcFlags;

    /// <summary>Environment variables for launched programs and tests.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Host of the headless dlv the attach configuration connects to (loopback: dlv has no authentication).</summary>
    public string DlvHost { get; init; } = "127.0.0.1";

    /// <summary>Port of the headless dlv (<c>dlv --headless --listen=127.0.0.1:2345</c>).</summary>
    public int DlvPort { get; init; } = 2345;

    /// <summary>
    /// Workspace root as the remote dlv sees it (a container or another machine). When set and different
    /// from the local root, the attach configuration maps one to the other with <c>substitutePath</c>.
    /// </summary>
    public string? RemoteWorkspace { get; init; }

    /// <summary>Also write <c>&lt;name&gt;.code-workspace</c> with one folder per module.</summary>
    public bool WriteCodeWorkspace { get; init; } = true;

    /// <summary>Name of the .code-workspace file (without extension). Null: the workspace folder's name.</summary>
    public string? CodeWorkspaceName { get; init; }
}

/// <summary>Outcome of writing the VS Code configuration.</summary>
/// <param name="LaunchJsonPath">Absolute path of .vscode/launch.json.</param>
/// <param name="CodeWorkspacePath">Absolute path of the .code-workspace file, or null when not written.</param>
/// <param name="Configurations">Names of the configurations we wrote (each starts with <c>"Go: "</c>).</param>
/// <param name="Changed">True when at least one file's content changed.</param>
public sealed record GoVSCodeResult(string LaunchJsonPath, string? CodeWorkspacePath, IReadOnlyList<string> Configurations, bool Changed);
