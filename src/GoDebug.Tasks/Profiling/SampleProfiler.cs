using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// The zero-argument profile run: start a service binary (the bundled sample) on a free loopback port, keep it
/// busy while everything is captured, write the report, stop the service.
/// </summary>
internal static class SampleProfiler
{
    /// <summary>The sample app's handlers: library calls, JSON, and one leaking goroutine per /leak call.</summary>
    public static IReadOnlyList<string> SampleLoad { get; } = ["hello?name=profile", "sum?values=1,2,3,4,5,6,7,8,9", "leak?n=1"];

    public static async Task<ProfileCaptureResult> RunAsync(string executable, ProfileCaptureSettings settings, IReadOnlyList<string> loadPaths, GoDebugHost host, GoTool? go, CancellationToken cancellationToken)
    {
        await using var service = await ServiceProcess.StartAsync(executable, host, settings.StartupTimeout, cancellationToken).ConfigureAwait(false);
        using var load = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var background = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => LoadDriver.SustainAsync(service.BaseUrl, loadPaths, load.Token)));
        try
        {
            var named = settings with
            {
                BaseUrl = service.BaseUrl.ToString(),
                ServiceName = string.IsNullOrWhiteSpace(settings.ServiceName) ? Path.GetFileNameWithoutExtension(executable) : settings.ServiceName,
            };
            return await ProfileCapture.CaptureAsync(named, host, go, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await load.CancelAsync().ConfigureAwait(false);
            await background.ConfigureAwait(false);
        }
    }
}
