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
    private readonly CancellationTokenSource _stop;
    private readonly Task<ProcessResult> _process;

    private DelveSession(IPEndPoint endpoint, CancellationTokenSource stop, Task<ProcessResult> process)
    {
        Endpoint = endpoint;
        _stop = stop;
        _process = process;
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>dlv's process id (the program is its child), 0 until dlv started.</summary>
    public int ProcessId => _processId;

    private volatile int _processId;

    /// <summary>Completes when dlv exits (the program ended, a client detached with kill, or we stopped it).</summary>
    public Task<ProcessResult> Completion => _process;

    /// <summary>Checks the address, starts dlv, and returns once its API answers.</summary>
    public static async Task<DelveSession> StartAsync(DelveSessionSettings settings, DelveResult dlv, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        var endpoint = ParseListenAddress(settings.ListenAddress, settings.AllowRemote);
        if (!File.Exists(settings.Program))
        {
            throw new GoDebugException($"Program to debug not found: {settings.Program}; build it first.", FixHint.Run(GoStep.Build));
        }

        EnsurePortFree(endpoint);

        var arguments = new List<string> { "exec", Path.GetFullPath(settings.Program), "--headless", "--api-version=2", "--accept-multiclient", $"--listen={settings.ListenAddress}" };
        if (settings.Continue) arguments.Add("--continue");
        arguments.AddRange(dlv.CompatibilityArguments);
        if (settings.ProgramArguments.Count > 0)
        {
            arguments.Add("--");
            arguments.AddRange(settings.ProgramArguments);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = new ProcessSpec(dlv.DlvExecutable, arguments)
        {
            Environment = settings.Environment,
            OnStarted = started.SetResult,
            WorkingDirectory = settings.WorkingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(settings.Program)),
            OnStandardOutput = line =>
            {
                if (line.StartsWith("API server listening at:", StringComparison.Ordinal)) listening.TrySetResult();
                log.Info(line);
            },
            OnStandardError = log.Info,
            // dlv hands its own dispositions to the debuggee (ProcessSpec.DefaultSignals says why they must be reset).
            DefaultSignals = true,
        };
        log.Info(ProcessRunner.Describe(spec.Executable, spec.Arguments));
        var process = host.Processes.RunAsync(spec, stop.Token);
        var session = new DelveSession(endpoint, stop, process);
        if (started.Task.IsCompleted) session._processId = await started.Task.ConfigureAwait(false);
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

            await using var client = await DelveRpcClient.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, timeout.Token).ConfigureAwait(false);
            var (version, api) = await client.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            log.Info($"dlv ready on {settings.ListenAddress} (API v{api}, {version.Split('\n')[0].Trim()}); attach with 'dlv connect {settings.ListenAddress}' or the VS Code remote configuration.");
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
    public async ValueTask DisposeAsync()
    {
        if (!_process.IsCompleted)
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
