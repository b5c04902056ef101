using System.Text.Json;
using System.Text.Json.Serialization;
using GoDebug.Tasks.FileSystem;

namespace GoDebug.Tasks.Building;

/// <summary>Size and modification time of a file when its content hash was taken.</summary>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastWriteUtcTicks">Modification time.</param>
/// <param name="Sha256">Content hash.</param>
/// <param name="Header">For a .go file, the hash of its <see cref="GoSourceHeader"/>; null for other files.</param>
internal sealed record FileStamp(long Length, long LastWriteUtcTicks, string Sha256, string? Header = null);

/// <summary>What the last build of one target read and produced.</summary>
internal sealed record TargetState
{
    public string Package { get; init; } = string.Empty;

    public string ModuleDirectory { get; init; } = string.Empty;

    /// <summary>The binary; empty for a library module's compile check.</summary>
    public string OutputPath { get; init; } = string.Empty;

    /// <summary>What go build is given for it: the import path, or <c>moduleDir/...</c> for a library check.</summary>
    public string Pattern { get; init; } = string.Empty;

    /// <summary>Null after a failed build, so the next build retries it whatever changed.</summary>
    public string? Fingerprint { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Package directories whose listings reveal a new file (go list would report it).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];
}

/// <summary>
/// <c>.godebug/build-state.&lt;configuration&gt;.json</c>: per target its fingerprint and inputs, and per
/// input file the stamp that lets a no-op build skip hashing and skip go list altogether.
/// </summary>
internal sealed record GoBuildState
{
    public const int CurrentFormat = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int Format { get; init; } = CurrentFormat;

    /// <summary>Hash of the configuration key (Go version, flags, environment, target selection).</summary>
    public string Configuration { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, FileStamp> Files { get; init; } = new Dictionary<string, FileStamp>();

    /// <summary>Directory → hash of its file names.</summary>
    public IReadOnlyDictionary<string, string> Directories { get; init; } = new Dictionary<string, string>();

    /// <summary>Module directory → hash of the Go source files in its tree; empty unless targets are discovered.</summary>
    public IReadOnlyDictionary<string, string> Trees { get; init; } = new Dictionary<string, string>();

    /// <summary>The workspace-wide files (go.work, go.work.sum) whose change means the module set may differ.</summary>
    public IReadOnlyList<string> WorkspaceFiles { get; init; } = [];

    public IReadOnlyList<TargetState> Targets { get; init; } = [];

    /// <summary>Import path → directory of each in-workspace package, to place errors that go prints relative to a package.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; init; } = new Dictionary<string, string>();

    /// <summary>Null when the file is missing, unreadable or from another format: the build then starts from scratch.</summary>
    public static GoBuildState? Load(string path)
    {
        try
        {
            var state = JsonSerializer.Deserialize<GoBuildState>(File.ReadAllText(path), Json);
            return state?.Format == CurrentFormat ? state : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Written after every build, a reload's among them, so not flushed to disk: after a crash a torn file reads as
    /// null (<see cref="Load"/>) and the next build starts from scratch, which is all the state is for.
    /// </summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json), durable: false);
}
