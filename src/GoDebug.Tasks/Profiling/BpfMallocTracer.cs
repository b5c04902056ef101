using System.Globalization;
using System.Runtime.InteropServices;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Profiling;

/// <summary>Malloc stacks sampled with bpftrace, or why there are none.</summary>
/// <param name="Stacks">Merged user stacks into <c>runtime.mallocgc</c>, root first, counted by calls; null when skipped.</param>
/// <param name="Skipped">Why nothing was captured (starts with GO6010), or null.</param>
/// <param name="Pid">The traced process.</param>
/// <param name="Executable">Its binary.</param>
internal sealed record MallocTrace(StackNode? Stacks, string? Skipped, int Pid = 0, string? Executable = null);

/// <summary>
/// Counts user stacks entering <c>runtime.mallocgc</c> of the process listening on the service's port, with a
/// bpftrace uprobe for N seconds. Entry probes only: a uretprobe rewrites the return address on the stack,
/// which Go's stack copying and unwinding do not expect, and crashes the program (golang/go#22008).
/// </summary>
internal static class BpfMallocTracer
{
    public static async Task<MallocTrace> CaptureAsync(Uri service, int seconds, GoDebugHost host, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) return Skip("bpftrace uprobes need Linux.");
        if (geteuid() != 0) return Skip("bpftrace needs root (uprobes attach through the kernel); run the step as root to get malloc stacks.");
        var bpftrace = PathSearch.OnPath("bpftrace", host.Environment.Get("PATH") ?? string.Empty).FirstOrDefault();
        if (bpftrace is null) return Skip("bpftrace is not on PATH (apt-get install bpftrace).");
        if (!service.IsLoopback) return Skip($"{service.Host} is not this machine; bpftrace can only trace a local process.");
        var pid = ListeningProcess(service.Port);
        if (pid is null) return Skip($"no local process found listening on port {service.Port}.");
        string exe;
        try
        {
            exe = PathSearch.Resolve($"/proc/{pid}/exe");
        }
        catch (IOException ex)
        {
            return Skip($"cannot read /proc/{pid}/exe: {ex.Message}");
        }

        // bpftrace's pid is the kernel's, in the machine's first PID namespace; inside a container the service's pid
        // differs, and a filter on it would match nothing. There the probe on this binary path is the filter.
        var filter = InInitialPidNamespace() ? string.Create(CultureInfo.InvariantCulture, $"/pid == {pid}/ ") : string.Empty;
        var program = string.Create(CultureInfo.InvariantCulture, $"uprobe:{exe}:runtime.mallocgc {filter}{{ @[ustack] = count(); }} interval:s:{seconds} {{ exit(); }}");
        host.Log.Verbose($"bpftrace on pid {pid} ({exe}) for {seconds} s.");
        // bpftrace re-reads the binary's symbols for every stack it prints unless told to cache them (it only caches by
        // default when ASLR is off): 180 stacks took 48 s instead of 5 here. A Go executable is not position-independent
        // by default, so its addresses are fixed and the cache is right.
        var spec = new ProcessSpec(bpftrace, ["-e", program]) { Environment = new Dictionary<string, string?> { ["BPFTRACE_CACHE_USER_SYMBOLS"] = "1" } };
        var result = await host.Processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) return Skip($"bpftrace exited {result.ExitCode}: {result.StandardError.Trim()}");
        var stacks = Parse(result.StandardOutput);
        return new MallocTrace(stacks, stacks.Value == 0 ? $"{ProfilingCodes.MallocTraceSkipped}: bpftrace saw no call of runtime.mallocgc in {seconds} s (was the service idle?)." : null, pid.Value, exe);
    }

    /// <summary>Reads bpftrace's map dump: <c>@[</c>, one frame per line leaf first (<c>sym+off</c>), then <c>]: N</c>.</summary>
    internal static StackNode Parse(string output)
    {
        var root = new StackNode("all");
        List<string>? frames = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("@[", StringComparison.Ordinal))
            {
                frames = [];
            }
            else if (frames is not null && line.StartsWith("]:", StringComparison.Ordinal))
            {
                if (long.TryParse(line[2..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
                {
                    frames.Reverse();
                    root.Add(frames, count);
                }

                frames = null;
            }
            else if (frames is not null && line.Length > 0)
            {
                var plus = line.LastIndexOf('+');
                frames.Add(plus > 0 ? line[..plus] : line);
            }
        }

        return root;
    }

    /// <summary>The pid owning the listening TCP socket on <paramref name="port"/>: /proc/net/tcp{,6} give its inode, /proc/*/fd the owner.</summary>
    internal static int? ListeningProcess(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address is HEXIP:HEXPORT; state 0A is LISTEN; inode is field 9.
                if (f.Length > 9 && f[3] == "0A" && int.Parse(f[1][(f[1].IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{f[9]}]");
                }
            }
        }

        if (inodes.Count == 0) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFiles(Path.Combine(dir, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)) return pid;
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                // Processes come and go, and others' fds are private; neither is the one we want.
            }
        }

        return null;
    }

    /// <summary>The kernel numbers the first PID namespace 0xEFFFFFFC (PROC_PID_INIT_INO); any other is a container's.</summary>
    private static bool InInitialPidNamespace()
    {
        try
        {
            return new FileInfo("/proc/self/ns/pid").LinkTarget == "pid:[4026531836]";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static MallocTrace Skip(string why) => new(null, $"{ProfilingCodes.MallocTraceSkipped}: malloc stacks skipped: {why}");

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
