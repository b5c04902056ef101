using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Processes;

/// <summary>
/// Starts a program with every signal at its default disposition and none blocked, whatever this process
/// inherited. System.Diagnostics.Process (and so CliWrap) cannot: its child keeps each disposition the .NET
/// process had at start-up, since the runtime leaves an inherited SIG_IGN in place ("we respect ignored signals",
/// pal_signal.c) and only resets its own handlers in the child (pal_process.c), and it ignores SIGPIPE itself. So a
/// program started from a background job of a non-interactive shell (SIGINT and SIGQUIT ignored, as POSIX has
/// it), under nohup (SIGHUP) or by any .NET parent (SIGPIPE) inherited that, and a Go program keeps an ignored
/// SIGINT or SIGHUP ignored unless it calls signal.Notify: the graceful stop never reached it. A shell wrapper
/// cannot undo it either (a non-interactive shell may not reset a signal ignored on entry), and ProcessStartInfo
/// has no attribute for it. POSIX posix_spawn has: POSIX_SPAWN_SETSIGDEF for every signal and POSIX_SPAWN_SETSIGMASK
/// with an empty set, applied in the child between fork and exec.
/// </summary>
/// <remarks>
/// The child is not a Process, so this class owns its exit: .NET's SIGCHLD handler reaps only the children it
/// started (ProcessWaitState.CheckChildren; unknown ones are left alone) except when this process is pid 1 or began
/// with SIGCHLD ignored, where it reaps every child and the exit code reads as <see cref="UnknownExitCode"/>. A
/// thread per child waits with <c>waitid(WNOWAIT)</c>, which leaves the zombie in place: until it is reaped under
/// the same lock that signals it, its pid cannot be reused, so a stop or kill never reaches another process. Its
/// output is read by a thread per pipe, not the thread pool: a program's pipes stay open for hours, and two pool
/// threads blocked in read() on a 2-core machine leave the pool starved for everything else.
/// </remarks>
internal sealed class PosixSpawn
{
    /// <summary>The exit code when something else reaped the child first.</summary>
    public const int UnknownExitCode = -1;

    public const int Sigint = 2;
    public const int Sigterm = 15;
    private const int Sigkill = 9;
    private const int Eintr = 4;
    private const short SetSigDefault = 0x04;
    private const short SetSigMask = 0x08;
    private const int ReadOnly = 0;
    private const int PidType = 1;
    private const int Exited = 4;

    /// <summary>Opaque libc structures (posix_spawnattr_t 336 bytes with glibc, a pointer on macOS; sigset_t 128 bytes at most).</summary>
    private const int OpaqueSize = 1024;

    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _reaped;

    private PosixSpawn(int processId)
    {
        ProcessId = processId;
    }

    public int ProcessId { get; }

    /// <summary>Completes with the exit code once the child has exited and been reaped (128 + N after signal N, as Process reports it).</summary>
    public Task<int> Exit => _exit.Task;

    /// <summary>Runs <paramref name="spec"/> as <see cref="ProcessRunner"/> does, through posix_spawn.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var environment = Environment(spec.Environment);
        var executable = Resolve(spec.Executable, environment);
        if (spec.WorkingDirectory is { } folder && !Directory.Exists(folder))
        {
            throw new GoDebugException($"Cannot start '{spec.Executable}': its working directory {folder} does not exist.");
        }

        using var stdout = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        using var stderr = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var child = Start(spec, executable, environment, stdout.ClientSafePipeHandle, stderr.ClientSafePipeHandle);
        stdout.DisposeLocalCopyOfClientHandle();
        stderr.DisposeLocalCopyOfClientHandle();
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var reading = Task.WhenAll(Pump(stdout, output, spec.OnStandardOutput), Pump(stderr, errors, spec.OnStandardError));
        spec.OnStarted?.Invoke(child.ProcessId);

        int exitCode;
        await using (cancellationToken.Register(child.KillTree).ConfigureAwait(false))
        await using (spec.GracefulStop.Register(() => child.Signal(spec.StopSignal)).ConfigureAwait(false))
        {
            exitCode = await child.Exit.ConfigureAwait(false);
            try
            {
                // A child the program left behind may hold the pipes open; the forceful stop ends that wait.
                await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Reported below.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        spec.GracefulStop.ThrowIfCancellationRequested();
        return new ProcessResult(spec.Executable, spec.Arguments, exitCode, Text(output), Text(errors));
    }

    /// <summary>Sends <paramref name="signal"/> to the child while it has not been reaped.</summary>
    public void Signal(int signal)
    {
        lock (_gate)
        {
            if (!_reaped) _ = kill(ProcessId, signal);
        }
    }

    /// <summary>Kills the child and every process below it, as Process.Kill(entireProcessTree) does for a child of its own.</summary>
    public void KillTree()
    {
        lock (_gate)
        {
            if (_reaped) return;
            try
            {
                using var process = Process.GetProcessById(ProcessId);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or AggregateException)
            {
                // The tree could not be listed (the child is exiting): the child itself still goes.
                _ = kill(ProcessId, Sigkill);
            }
        }
    }

    private static PosixSpawn Start(ProcessSpec spec, string executable, IReadOnlyDictionary<string, string> environment, SafeHandle stdout, SafeHandle stderr)
    {
        var attributes = Marshal.AllocHGlobal(OpaqueSize);
        var actions = Marshal.AllocHGlobal(OpaqueSize);
        var defaults = Marshal.AllocHGlobal(OpaqueSize);
        var mask = Marshal.AllocHGlobal(OpaqueSize);
        var added = false;
        try
        {
            Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            added = true;
            EveryCatchableSignal(defaults);
            _ = sigemptyset(mask);
            Check(posix_spawnattr_setsigdefault(attributes, defaults), "posix_spawnattr_setsigdefault");
            Check(posix_spawnattr_setsigmask(attributes, mask), "posix_spawnattr_setsigmask");
            Check(posix_spawnattr_setflags(attributes, SetSigDefault | SetSigMask), "posix_spawnattr_setflags");
            Check(posix_spawn_file_actions_addopen(actions, 0, "/dev/null", ReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(posix_spawn_file_actions_adddup2(actions, (int)stdout.DangerousGetHandle(), 1), "posix_spawn_file_actions_adddup2");
            Check(posix_spawn_file_actions_adddup2(actions, (int)stderr.DangerousGetHandle(), 2), "posix_spawn_file_actions_adddup2");
            if (spec.WorkingDirectory is { } folder) Check(posix_spawn_file_actions_addchdir_np(actions, Path.GetFullPath(folder)), "posix_spawn_file_actions_addchdir_np");

            string?[] argv = [executable, .. spec.Arguments, null];
            string?[] envp = [.. environment.Select(v => $"{v.Key}={v.Value}"), null];
            var error = posix_spawn(out var pid, executable, actions, attributes, argv, envp);
            if (error != 0) throw new GoDebugException($"Cannot start '{spec.Executable}': {Marshal.GetPInvokeErrorMessage(error)}");
            var child = new PosixSpawn(pid);
            new Thread(child.WaitForExit) { IsBackground = true, Name = $"wait {pid}" }.Start();
            return child;
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new GoDebugException($"Cannot start '{spec.Executable}': this C library lacks {ex.Message} (glibc 2.29, musl 1.1.24 and macOS 10.15 have it).", ex);
        }
        finally
        {
            if (added)
            {
                _ = posix_spawn_file_actions_destroy(actions);
                _ = posix_spawnattr_destroy(attributes);
            }

            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(defaults);
            Marshal.FreeHGlobal(mask);
        }
    }

    /// <summary>
    /// Signals 1 to 64 but SIGKILL and SIGSTOP. On Linux the bits are written directly: glibc's sigfillset and sigaddset
    /// leave out its internal signals 32 and 33, and its posix_spawn then sets 32 to SIG_IGN in the child, which a Go
    /// program keeps (its runtime installs no handler for signal 32).
    /// </summary>
    private static void EveryCatchableSignal(nint set)
    {
        if (OperatingSystem.IsMacOS())
        {
            _ = sigfillset(set);
            _ = sigdelset(set, Sigkill);
            _ = sigdelset(set, 17);
            return;
        }

        // glibc's sigset_t: unsigned longs, bit N-1 for signal N; SIGSTOP is 19.
        _ = sigemptyset(set);
        Marshal.WriteInt64(set, ~((1L << (Sigkill - 1)) | (1L << (19 - 1))));
    }

    private void WaitForExit()
    {
        var info = Marshal.AllocHGlobal(OpaqueSize);
        try
        {
            // ECHILD ends the wait too: something else reaped it (see the remarks).
            while (waitid(PidType, ProcessId, info, Exited | NoWait) != 0 && Marshal.GetLastPInvokeError() == Eintr)
            {
            }
        }
        finally
        {
            Marshal.FreeHGlobal(info);
        }

        int code;
        lock (_gate)
        {
            int reaped;
            int status;
            while ((reaped = waitpid(ProcessId, out status, 0)) < 0 && Marshal.GetLastPInvokeError() == Eintr)
            {
            }

            code = reaped != ProcessId ? UnknownExitCode : (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            _reaped = true;
        }

        _exit.TrySetResult(code);
    }

    private static int NoWait => OperatingSystem.IsMacOS() ? 0x20 : 0x01000000;

    /// <summary>
    /// Reads lines on a thread of its own until the pipe closes (every writer, the child's own children too, has gone).
    /// A callback that throws is not called again and its exception ends the run once the child has exited, as
    /// CliWrap's delegate target does; the pipe is still drained, so the child never blocks on a full one.
    /// </summary>
    private static Task Pump(Stream pipe, StringBuilder text, Action<string>? onLine)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            Exception? failed = null;
            try
            {
                using var reader = new StreamReader(pipe, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                while (reader.ReadLine() is { } line)
                {
                    lock (text) text.Append(line).Append('\n');
                    if (failed is not null || onLine is null) continue;
                    try
                    {
                        onLine(line);
                    }
                    catch (Exception ex)
                    {
                        failed = ex;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The run was abandoned (forceful stop) and its pipe closed under us.
            }

            if (failed is null) done.TrySetResult();
            else done.TrySetException(failed);
        }) { IsBackground = true, Name = "child output" }.Start();
        return done.Task;
    }

    private static string Text(StringBuilder text)
    {
        lock (text) return text.ToString();
    }

    /// <summary>This process's variables with <paramref name="overlay"/> applied (null removes one), as CliWrap's WithEnvironmentVariables does.</summary>
    private static IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string?> overlay)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables()) variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        foreach (var (name, value) in overlay)
        {
            if (value is null) variables.Remove(name);
            else variables[name] = value;
        }

        return variables;
    }

    /// <summary>A path as given (made absolute), or a bare name looked up on the child's PATH as a shell would.</summary>
    private static string Resolve(string executable, IReadOnlyDictionary<string, string> environment)
    {
        if (executable.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(executable);
            return File.Exists(full) ? full : throw new GoDebugException($"Cannot start '{executable}': no such file.");
        }

        var path = environment.GetValueOrDefault("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, executable)).FirstOrDefault(File.Exists)
            ?? throw new GoDebugException($"Cannot start '{executable}': not found on PATH ({path}).");
    }

    private static void Check(int result, string call)
    {
        if (result != 0) throw new GoDebugException($"{call} failed: {Marshal.GetPInvokeErrorMessage(result)}");
    }

    [DllImport("libc")]
    private static extern int posix_spawn(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint fileActions, nint attributes, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);

    [DllImport("libc")]
    private static extern int posix_spawnattr_init(nint attributes);

    [DllImport("libc")]
    private static extern int posix_spawnattr_destroy(nint attributes);

    [DllImport("libc")]
    private static extern int posix_spawnattr_setflags(nint attributes, short flags);

    [DllImport("libc")]
    private static extern int posix_spawnattr_setsigdefault(nint attributes, nint signals);

    [DllImport("libc")]
    private static extern int posix_spawnattr_setsigmask(nint attributes, nint signals);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_init(nint actions);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_destroy(nint actions);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addopen(nint actions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_adddup2(nint actions, int fd, int target);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addchdir_np(nint actions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport("libc")]
    private static extern int sigfillset(nint signals);

    [DllImport("libc")]
    private static extern int sigemptyset(nint signals);

    [DllImport("libc")]
    private static extern int sigdelset(nint signals, int signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int waitid(int idType, int id, nint info, int options);

    [DllImport("libc", SetLastError = true)]
    private static extern int waitpid(int pid, out int status, int options);

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);
}
