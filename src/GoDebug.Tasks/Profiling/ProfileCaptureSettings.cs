namespace GoDebug.Tasks.Profiling;

/// <summary>What to capture from a running Go service and where the report goes.</summary>
public sealed record ProfileCaptureSettings
{
    /// <summary>The service's base URL (<c>http://127.0.0.1:8080</c>) or its pprof index (<c>…/debug/pprof/</c>).</summary>
    public string BaseUrl { get; init; } = string.Empty;

    /// <summary>Profiles to capture; empty captures all of them (<c>goroutineleak</c> only when the service offers it).</summary>
    public IReadOnlyList<ProfileKind> Profiles { get; init; } = [];

    /// <summary>Duration of the CPU profile and the execution trace, in seconds (1–3600).</summary>
    public int Seconds { get; init; } = 5;

    /// <summary>Ask for the heap profile after a garbage collection (<c>heap?gc=1</c>), so in-use figures hold only live objects.</summary>
    public bool HeapGc { get; init; }

    /// <summary>Extra request headers (an API key, a tenant); values are never logged.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Name of an environment variable holding a bearer token for <c>Authorization</c>; the token is never logged.</summary>
    public string? TokenVariable { get; init; }

    /// <summary>Timeout of an instant profile's request, and the margin added to the seconds of a timed one.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to keep retrying while nothing accepts connections yet (the service is starting).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Root of the reports; each capture goes to <c>&lt;root&gt;/&lt;service&gt;/&lt;UTC timestamp&gt;/</c>.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "profiles");

    /// <summary>The folder name of the service; empty derives it from the URL's host and port.</summary>
    public string? ServiceName { get; init; }

    /// <summary>Render call graphs with <c>go tool pprof -svg</c> when Graphviz is installed.</summary>
    public bool CallGraphs { get; init; } = true;

    /// <summary>Seconds of bpftrace malloc-stack sampling of the local process behind the URL; 0 leaves it out.</summary>
    public int MallocTraceSeconds { get; init; }
}
