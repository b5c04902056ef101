using System.Net;
using System.Net.Sockets;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Debugging;

/// <summary>
/// A program running under <c>dlv exec --headless</c>. Disposing (or cancelling the token given to
/// <see cref="StartAsync"/>) kills dlv and the program with it, so no debuggee outlives the build.
/// </summary>
internal sealed class DelveSession : IAsyncDisposable
{
    private const string ListeningPrefix = "API server listening at:";
    private const int RecentLineCount = 20;
    private readonly CancellationTokenSource _stop;
    private readonly Task<ProcessResult> _process;
    private readonly RecentLines _recent;

    private DelveSession(CancellationTokenSource stop, Task<ProcessResult> process, RecentLines recent)
    {
        _stop = stop;
        _process = process;
        _recent = recent;
    }

    /// <summary>Where dlv's API listens (what it printed), set once it listens.</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The first line of dlv's GetVersion answer, e.g. "Version: 1.20.2".</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The last lines dlv and the program printed (the program's output goes through dlv's), for a program that died at start.</summary>
    public IReadOnlyList<string> RecentOutput => _recent.Snapshot();

    /// <summary>The recent output once no line has come for a moment (at most a second), for a program that just exited.</summary>
    public async Task<IReadOnlyList<string>> SettledOutputAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var seen = _recent.Added;
        while (time.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
            if (_recent.Added == seen && seen > 0) break;
            seen = _recent.Added;
        }

        return _recent.Snapshot();
    }

    /// <summary>dlv's process id (the program is its child), 0 until dlv started.</summary>
    public int ProcessId => _processId;

    private volatile int _processId;

    /// <summary>Completes when dlv exits (the program ended, a client detached with kill, or we stopped it).</summary>
    public Task<ProcessResult> Completion => _process;

    /// <summary>Checks the address, starts dlv, and returns once its API answers.</summary>
    public static Task<DelveSession> StartAsync(DelveSessionSettings settings, DelveResult dlv, GoDebugHost host, CancellationToken cancellationToken)
    {
        var endpoint = ParseListenAddress(settings.ListenAddress, settings.AllowRemote);
        if (!File.Exists(settings.Program))
        {
            throw new GoDebugException($"Program to debug not found: {settings.Program}; build it first.", FixHint.Run(GoStep.Build));
        }

        EnsurePortFree(endpoint);
        return StartCoreAsync(settings, dlv, host, announce: true, cancellationToken);
    }

    /// <summary>
    /// Starts dlv on a loopback port the kernel picks, behind a <see cref="DebugEndpoint"/> that clients attach to; the
    /// port is read from dlv's "API server listening at" line.
    /// </summary>
    internal static Task<DelveSession> StartPrivateAsync(DelveSessionSettings settings, DelveResult dlv, GoDebugHost host, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Program))
        {
            throw new GoDebugException($"Program to debug not found: {settings.Program}; build it first.", FixHint.Run(GoStep.Build));
        }

        return StartCoreAsync(settings with { ListenAddress = "127.0.0.1:0" }, dlv, host, announce: false, cancellationToken);
    }

    private static async Task<DelveSession> StartCoreAsync(DelveSessionSettings settings, DelveResult dlv, GoDebugHost host, bool announce, CancellationToken cancellationToken)
    {
        var log = host.Log;
        var arguments = new List<string> { "exec", Path.GetFullPath(settings.Program), "--headless", "--api-version=2", "--accept-multiclient", $"--listen={settings.ListenAddress}" };
        if (settings.Continue) arguments.Add("--continue");
        arguments.AddRange(dlv.CompatibilityArguments);
        if (settings.ProgramArguments.Count > 0)
        {
            arguments.Add("--");
            arguments.AddRange(settings.ProgramArguments);
        }

        var listening = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new RecentLines(RecentLineCount);
        var spec = new ProcessSpec(dlv.DlvExecutable, arguments)
        {
            Environment = settings.Environment,
            OnStarted = started.SetResult,
            WorkingDirectory = settings.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(settings.Program)),
            OnStandardOutput = line =>
            {
                if (line.StartsWith(ListeningPrefix, StringComparison.Ordinal) && IPEndPoint.TryParse(line[ListeningPrefix.Length..].Trim(), out var at)) listening.TrySetResult(at);
                else recent.Add(line);
                log.Info(line);
            },
            OnStandardError = line =>
            {
                recent.Add(line);
                log.Info(line);
            },
            // dlv hands its own dispositions to the debuggee (ProcessSpec.DefaultSignals says why they must be reset).
            DefaultSignals = true,
        };
        var command = ProcessRunner.Describe(spec.Executable, spec.Arguments);
        if (announce) log.Info(command);
        else log.Verbose(command);
        var process = host.Processes.RunAsync(spec, stop.Token);
        var session = new DelveSession(stop, process, recent);
        _ = started.Task.ContinueWith(t => session._processId = t.Result, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.StartTimeout);
            var first = await Task.WhenAny(listening.Task, process, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
            if (first == process)
            {
                var exited = await process.ConfigureAwait(false);
                throw new GoDebugException($"dlv exited with code {exited.ExitCode} before listening on {settings.ListenAddress}: {exited.StandardError.Trim()} {exited.StandardOutput.Trim()}".TrimEnd());
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (first != listening.Task)
            {
                throw new GoDebugException($"dlv did not listen on {settings.ListenAddress} within {settings.StartTimeout.TotalSeconds:0} s.");
            }

            session.Endpoint = await listening.Task.ConfigureAwait(false);
            await using var client = await DelveRpcClient.ConnectAsync(session.Endpoint.Address.ToString(), session.Endpoint.Port, timeout.Token).ConfigureAwait(false);
            var (version, api) = await client.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            session.Version = version.Split('\n')[0].Trim();
            if (announce) log.Info($"dlv ready on {settings.ListenAddress} (API v{api}, {session.Version}); attach with 'dlv connect {settings.ListenAddress}' or the VS Code remote configuration.");
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Serves until the program exits or the token is cancelled (Ctrl+C), then stops dlv and the
    /// program. Cancellation is the normal way to end an interactive session, so it is not an error.
    /// </summary>
    public static async Task<int?> RunUntilStoppedAsync(DelveSessionSettings settings, DelveResult dlv, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        await using var session = await StartAsync(settings, dlv, host, cancellationToken).ConfigureAwait(false);
        log.Info("Debug session running; press Ctrl+C to stop it.");
        try
        {
            var result = await session.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            log.Info($"dlv exited with code {result.ExitCode}.");
            return result.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.Info("Stopping the debug session (dlv and the program) ...");
            return null;
        }
    }

    /// <summary>
    /// Asks dlv to kill its debuggee and exit (it waits for the traced process to die), then kills
    /// whatever is left of the tree, so both are gone when this returns.
    /// </summary>
    /// <summary>Kills dlv and the program with it (the whole tree) at once and returns when dlv has exited; for a swap, where the program is replaced anyway.</summary>
    public async Task KillAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _process.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or GoDebugException)
        {
            // Killed, as asked; or dlv never started.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.IsCompleted && Endpoint.Port != 0)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await using var client = await DelveRpcClient.ConnectAsync(Endpoint.Address.ToString(), Endpoint.Port, grace.Token).ConfigureAwait(false);
                await client.DetachAsync(kill: true, grace.Token).ConfigureAwait(false);
                // dlv answers once its debuggee is dead, then exits, but not while another client (an IDE) is still
                // connected: dlv 1.20 then waited out the whole grace period. Past a second the tree kill below ends it.
                await _process.WaitAsync(TimeSpan.FromSeconds(1), grace.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or IOException or System.Net.Sockets.SocketException or GoDebugException)
            {
                // dlv did not answer or did not exit in time: the tree kill below still ends both processes.
            }
        }

        try
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _process.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: we cancelled it.
        }
        catch (GoDebugException)
        {
            // dlv could not be started; StartAsync already threw that to the caller, and there is nothing to stop.
        }
        finally
        {
            _stop.Dispose();
        }
    }

    /// <summary>Parses host:port and refuses a non-loopback host unless the user opted in.</summary>
    internal static IPEndPoint ParseListenAddress(string address, bool allowRemote)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], out var port) || port is < 1 or > 65535)
        {
            throw new GoDebugException($"Listen address '{address}' is not host:port (e.g. 127.0.0.1:2345).");
        }

        var host = address[..colon].Trim('[', ']');
        IPAddress ip;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out ip!))
        {
            throw new GoDebugException($"Listen address '{address}': use an IP address, not a host name, so it is clear which interface dlv opens.");
        }

        if (!IPAddress.IsLoopback(ip) && !allowRemote)
        {
            throw new GoDebugException($"Listen address '{address}' is not loopback. dlv has no authentication: anyone who reaches it can run code as you.", FixHint.Set(GoSetting.DlvAllowRemote).Or("listen on 127.0.0.1"));
        }

        return new IPEndPoint(ip, port);
    }

    private static void EnsurePortFree(IPEndPoint endpoint)
    {
        try
        {
            using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new GoDebugException($"Port {endpoint.Port} on {endpoint.Address} is already in use; stop what listens there or choose another address.", FixHint.Set(GoSetting.DlvListen, $"{endpoint.Address}:PORT"), ex);
        }
    }
}

/// <summary>The last few lines of a process's output, kept as they arrive from two pipes.</summary>
internal sealed class RecentLines(int capacity)
{
    private readonly Queue<string> _lines = new();

    /// <summary>Lines added so far.</summary>
    public long Added
    {
        get
        {
            lock (_lines) return _added;
        }
    }

    private long _added;

    public void Add(string line)
    {
        lock (_lines)
        {
            _added++;
            _lines.Enqueue(line);
            if (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lines) return [.. _lines];
    }
}
