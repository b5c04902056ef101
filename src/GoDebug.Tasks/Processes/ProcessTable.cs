using System.Globalization;

namespace GoDebug.Tasks.Processes;

/// <summary>
/// Reads Linux's /proc: a process's descendants (a debuggee is dlv's child, go build's compilers are
/// its), whether a process still lives, and which TCP ports a set of processes listens on. Elsewhere
/// (no /proc) the answers are empty, and readiness falls back to the ready timeout.
/// </summary>
internal static class ProcessTable
{
    private const string Proc = "/proc";

    /// <summary>Kernels built with CONFIG_PROC_CHILDREN (Debian's, Ubuntu's, most) list each thread's children.</summary>
    private static readonly bool HasChildrenLists = File.Exists(Path.Combine(Proc, "thread-self", "children"));

    /// <summary>Every live process below <paramref name="pid"/> (children, their children ...).</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        if (!Directory.Exists(Proc)) return [];
        return HasChildrenLists ? ChildrenLists(pid) : ScanAll(pid);
    }

    /// <summary>
    /// The tree through each thread's <c>task/TID/children</c> list: a few small reads, where a scan reads the stat
    /// of every process on the machine (readiness looks often, and a stop is on the critical path of a reload).
    /// </summary>
    private static IReadOnlyList<int> ChildrenLists(int pid)
    {
        var found = new List<int>();
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories(Path.Combine(Proc, pending.Pop().ToString(CultureInfo.InvariantCulture), "task")))
                {
                    foreach (var word in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var child) || ReadStat(child) is not { State: not 'Z' }) continue;
                        found.Add(child);
                        pending.Push(child);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // That process (or one of its threads) ended while we looked: it has no children to add.
            }
        }

        return found;
    }

    /// <summary>The tree from the parent of every process on the machine, where the kernel lists no children.</summary>
    private static IReadOnlyList<int> ScanAll(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories(Proc))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
            if (ReadStat(id) is not { } stat || stat.State == 'Z') continue;
            if (!children.TryGetValue(stat.Parent, out var list)) children[stat.Parent] = list = [];
            list.Add(id);
        }

        var found = new List<int>();
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            if (!children.TryGetValue(pending.Pop(), out var list)) continue;
            found.AddRange(list);
            foreach (var child in list) pending.Push(child);
        }

        return found;
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until none of <paramref name="pids"/> lives; false if one still does.</summary>
    public static Task<bool> GoneAsync(IReadOnlyList<int> pids, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        => UntilAsync(() => !pids.Any(IsAlive), timeout, time, cancellationToken);

    /// <summary>Waits (up to <paramref name="timeout"/>) until nothing listens on <paramref name="ports"/>; false if something still does.</summary>
    public static Task<bool> PortsReleasedAsync(IReadOnlySet<int> ports, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        => UntilAsync(() => StillListening(ports).Count == 0, timeout, time, cancellationToken);

    /// <summary>
    /// Looks every millisecond: the kernel sends no notification when a process is gone to a non-parent or a listener
    /// closes, and both looks are cheap (a stat read, a netlink query).
    /// </summary>
    private static async Task<bool> UntilAsync(Func<bool> done, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (!done())
        {
            if (time.GetTimestamp() >= deadline) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(1), time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => ReadStat(pid) is { State: not 'Z' and not 'X' };

    /// <summary>The TCP ports <paramref name="pids"/> listen on (IPv4 and IPv6).</summary>
    public static IReadOnlySet<int> ListeningPorts(IEnumerable<int> pids)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pid in pids)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(Proc, pid.ToString(CultureInfo.InvariantCulture), "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended (or is not ours) while we looked: it listens on nothing we can see.
            }
        }

        return inodes.Count == 0 ? new HashSet<int>() : Listeners().Where(l => inodes.Contains(l.Inode)).Select(l => l.Port).ToHashSet();
    }

    /// <summary>The subset of <paramref name="ports"/> some process still listens on.</summary>
    public static IReadOnlySet<int> StillListening(IReadOnlySet<int> ports)
        => ports.Count == 0 ? new HashSet<int>() : Listeners().Select(l => l.Port).Where(ports.Contains).ToHashSet();

    private static IEnumerable<(int Port, string Inode)> Listeners() => ListeningSockets.Query() ?? ProcNetListeners();

    /// <summary>The listeners from /proc/net/tcp and tcp6, where netlink cannot answer.</summary>
    internal static IEnumerable<(int Port, string Inode)> ProcNetListeners()
    {
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(Path.Combine(Proc, "net", table));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode": st 0A is LISTEN.
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != "0A") continue;
                var colon = fields[1].LastIndexOf(':');
                if (int.TryParse(fields[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)) yield return (port, fields[9]);
            }
        }
    }

    private static (char State, int Parent)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(Proc, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        var close = text.LastIndexOf(')');
        var fields = close < 0 ? [] : text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? (fields[0][0], parent) : null;
    }
}
