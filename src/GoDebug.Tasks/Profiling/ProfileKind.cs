namespace GoDebug.Tasks.Profiling;

/// <summary>A profile net/http/pprof serves under <c>/debug/pprof/</c>.</summary>
public enum ProfileKind
{
    /// <summary>In-use and allocated memory by allocation site (<c>heap</c>).</summary>
    Heap,

    /// <summary>All allocations since the process started (<c>allocs</c>).</summary>
    Allocs,

    /// <summary>Stacks of every goroutine (<c>goroutine</c>).</summary>
    Goroutine,

    /// <summary>Where goroutines blocked on synchronisation (<c>block</c>; empty unless the service sets a rate).</summary>
    Block,

    /// <summary>Holders of contended mutexes (<c>mutex</c>; empty unless the service sets a fraction).</summary>
    Mutex,

    /// <summary>Stacks that created OS threads (<c>threadcreate</c>).</summary>
    ThreadCreate,

    /// <summary>CPU samples over the capture duration (<c>profile?seconds=N</c>).</summary>
    Cpu,

    /// <summary>A runtime execution trace over the capture duration (<c>trace?seconds=N</c>).</summary>
    Trace,

    /// <summary>Goroutines blocked forever on unreachable objects (Go 1.26's <c>goroutineleak</c>; probed, skipped when absent).</summary>
    GoroutineLeak,
}

/// <summary>Endpoint names and file names of each <see cref="ProfileKind"/>.</summary>
internal static class ProfileKinds
{
    /// <summary>Everything a full capture takes: the instant profiles, CPU and trace, and the leak profile when offered.</summary>
    public static IReadOnlyList<ProfileKind> All { get; } =
        [ProfileKind.Heap, ProfileKind.Allocs, ProfileKind.Goroutine, ProfileKind.Block, ProfileKind.Mutex, ProfileKind.ThreadCreate, ProfileKind.Cpu, ProfileKind.Trace, ProfileKind.GoroutineLeak];

    public static string Endpoint(ProfileKind kind) => kind switch
    {
        ProfileKind.Cpu => "profile",
        ProfileKind.ThreadCreate => "threadcreate",
        ProfileKind.GoroutineLeak => "goroutineleak",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The raw file's name: <c>.pb.gz</c> for pprof profiles, <c>.trace</c> for the execution trace.</summary>
    public static string FileName(ProfileKind kind) => kind == ProfileKind.Trace ? "trace.out" : $"{Endpoint(kind)}.pb.gz";

    /// <summary>True for the two that run for a requested number of seconds.</summary>
    public static bool IsTimed(ProfileKind kind) => kind is ProfileKind.Cpu or ProfileKind.Trace;

    /// <summary>Parses "heap", "cpu", "profile" (pprof's name for CPU), "threadcreate", "goroutineleak"; null when unknown.</summary>
    public static ProfileKind? TryParse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "profile") return ProfileKind.Cpu;
        foreach (var kind in All)
        {
            if (t == kind.ToString().ToLowerInvariant() || t == Endpoint(kind)) return kind;
        }

        return null;
    }
}
