using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>
/// One running copy of the real sample app (the shared debug build) for the profiling tests that only read
/// from it; stopped, and its port checked closed, when the namespace's tests end.
/// </summary>
[SetUpFixture]
public sealed class SampleService
{
    private static ServiceProcess? _service;

    public static Uri BaseUrl => _service?.BaseUrl ?? throw new InvalidOperationException("The sample service did not start.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var app = await SampleBinaries.DebugAppAsync();
        _service = await ServiceProcess.StartAsync(app, Host(), TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_service is null) return;
        var port = _service.BaseUrl.Port;
        await _service.DisposeAsync();
        Assert.That(await Ports.ClosesWithinAsync(port, TimeSpan.FromSeconds(5)), Is.True, "the sample app must be gone after the profiling tests");
    }

    internal static GoDebugHost Host(RecordingLog? log = null) => GoDebugHost.Create(log ?? new RecordingLog());

    /// <summary>Capture settings against the shared sample: 1 s timed profiles, output under <paramref name="output"/>.</summary>
    /// <summary>Fetches one profile of <paramref name="kind"/> to <paramref name="path"/> while the sample's handlers are kept busy.</summary>
    public static async Task FetchUnderLoadAsync(ProfileKind kind, string path)
    {
        using var load = new CancellationTokenSource();
        var busy = LoadDriver.SustainAsync(BaseUrl, SampleProfiler.SampleLoad, load.Token);
        try
        {
            var host = Host();
            using var fetcher = new PprofFetcher(PprofEndpoint.Create(Settings(Path.GetDirectoryName(path)!), host.Environment), host, TimeSpan.FromSeconds(5));
            await fetcher.FetchAsync(kind, 1, path, CancellationToken.None);
        }
        finally
        {
            await load.CancelAsync();
            await busy;
        }
    }

    public static ProfileCaptureSettings Settings(string output, params ProfileKind[] kinds) => new()
    {
        BaseUrl = BaseUrl.ToString(),
        Profiles = kinds,
        Seconds = 1,
        OutputDirectory = output,
        StartupTimeout = TimeSpan.FromSeconds(5),
    };
}
