using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Profiling;

/// <summary>Stable codes of the profiling engine (GO6xxx); documentation and CI filters refer to them, so never renumber.</summary>
internal static class ProfilingCodes
{
    /// <summary>Nothing accepted connections at the service's address for the whole start-up wait.</summary>
    public const string ServiceDown = "GO6001";

    /// <summary>net/http/pprof answered with its own error text (header <c>X-Go-Pprof: 1</c>): unknown profile, CPU profiling or tracing already in use, a duration over the server's WriteTimeout.</summary>
    public const string PprofError = "GO6002";

    /// <summary>The endpoint answered with something that is not a profile: an HTML page (login, proxy, 404 page) or other text.</summary>
    public const string ForeignPage = "GO6003";

    /// <summary>The endpoint answered with an HTTP status other than 200 and no pprof error text.</summary>
    public const string HttpStatus = "GO6004";

    /// <summary>The request did not finish within its timeout (the requested seconds plus a margin for timed profiles).</summary>
    public const string Timeout = "GO6005";

    /// <summary>The body ended early or does not decode (truncated gzip, broken profile.proto, a trace without its header).</summary>
    public const string Corrupt = "GO6006";

    /// <summary>LeakGate: goroutines grew by more than the allowed number under load.</summary>
    public const string GoroutineLeak = "GO6007";

    /// <summary>LeakGate: in-use heap grew by more than the allowed bytes under load.</summary>
    public const string HeapGrowth = "GO6008";

    /// <summary>ProfileDiff: a function's share of CPU or allocations grew past the regression threshold.</summary>
    public const string Regression = "GO6009";

    /// <summary>The bpftrace malloc-stack capture was skipped (not root, no bpftrace, no local process behind the URL) or failed.</summary>
    public const string MallocTraceSkipped = "GO6010";

    /// <summary>Call graphs were skipped: Graphviz <c>dot</c> is not on PATH (flame graphs are still in the report).</summary>
    public const string NoGraphviz = "GO6011";

    /// <summary><c>go tool trace</c> or <c>go tool pprof</c> failed on a captured file; the report shows what it printed.</summary>
    public const string GoToolFailed = "GO6012";

    /// <summary>A capture folder given for comparison has no such profile or no meta.json.</summary>
    public const string MissingCapture = "GO6013";

    /// <summary>A setting has a value the engine cannot use (a URL that is not http(s), an unknown profile name, seconds out of range).</summary>
    public const string BadSetting = "GO6014";

    public static GoDebugException Error(string code, string message, FixHint? hint = null) => new($"{code}: {message}", hint);

    /// <summary>The GO6xxx code a message of <see cref="Error"/> starts with, or empty.</summary>
    public static string CodeOf(string message)
        => message.Length > 7 && message.StartsWith("GO6", StringComparison.Ordinal) && message[6] == ':' ? message[..6] : string.Empty;
}
