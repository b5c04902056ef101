using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// A service binary started on a free loopback port for the length of a capture. Disposing stops it (the whole
/// process tree) and waits until it has exited.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<ProcessResult> _run;

    private ServiceProcess(Uri baseUrl, CancellationTokenSource stop, Task<ProcessResult> run)
    {
        BaseUrl = baseUrl;
        _stop = stop;
        _run = run;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts <paramref name="executable"/> with <c>-addr 127.0.0.1:PORT</c> and waits until its pprof index answers.</summary>
    public static async Task<ServiceProcess> StartAsync(string executable, GoDebugHost host, TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(executable)) throw new GoDebugException($"The service binary {executable} does not exist.", FixHint.Run(GoStep.Build));
        var port = FreePort();
        var address = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Default signals: the service is profiled as it runs in production, not with the dispositions this process inherited.
        var spec = new ProcessSpec(executable, ["-addr", address]) { OnStandardError = line => host.Log.Verbose($"[service] {line}"), DefaultSignals = true };
        var run = host.Processes.RunAsync(spec, stop.Token);
        var service = new ServiceProcess(new Uri($"http://{address}/"), stop, run);
        try
        {
            await service.WaitReadyAsync(host, startupTimeout, cancellationToken).ConfigureAwait(false);
            host.Log.Info($"Started {Path.GetFileName(executable)} on {service.BaseUrl}.");
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitReadyAsync(GoDebugHost host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var clock = host.Time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (_run.IsCompleted)
            {
                var result = await _run.ConfigureAwait(false);
                throw new GoDebugException($"'{result.CommandLine}' exited with code {result.ExitCode} before it answered: {result.StandardError.Trim()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "debug/pprof/"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (host.Time.GetElapsedTime(clock) > timeout)
            {
                throw ProfilingCodes.Error(ProfilingCodes.ServiceDown, $"The service did not answer at {BaseUrl}debug/pprof/ within {timeout.TotalSeconds:0} s.");
            }

            await Task.WhenAny(Task.Delay(delay, host.Time, cancellationToken), _run).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is what cancelling means here.
        }

        _stop.Dispose();
    }
}
