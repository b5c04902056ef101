using System.Globalization;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Profiling;

/// <summary>What LeakGate does: capture, send load, capture again, and judge the growth.</summary>
public sealed record LeakGateSettings
{
    /// <summary>Where and how to capture; its profile set defaults to goroutine, heap (after a GC) and goroutineleak when offered.</summary>
    public ProfileCaptureSettings Capture { get; init; } = new();

    /// <summary>Path (and query) the load requests GET, relative to the service's base URL, e.g. <c>/api/orders?id=1</c>.</summary>
    public string LoadPath { get; init; } = "/";

    /// <summary>How many load requests to send between the two captures.</summary>
    public int Requests { get; init; } = 100;

    /// <summary>Load requests in flight at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Most goroutines the load may leave behind.</summary>
    public long MaxGoroutineGrowth { get; init; } = 10;

    /// <summary>Most bytes the in-use heap may grow by.</summary>
    public long MaxHeapGrowthBytes { get; init; } = 8L << 20;
}

/// <summary>The gate's verdict and the two captures behind it.</summary>
/// <param name="Passed">True when both growths stayed within their limits.</param>
/// <param name="Message">One paragraph: the verdicts, the functions that leaked, the report's path.</param>
/// <param name="Before">The capture before the load.</param>
/// <param name="After">The capture after it; its report holds the comparison.</param>
/// <param name="Comparison">The growth figures.</param>
public sealed record LeakGateResult(bool Passed, string Message, ProfileCaptureResult Before, ProfileCaptureResult After, ProfileComparison Comparison);

/// <summary>Capture, load, capture, compare: fails when goroutines or the in-use heap grew past their limits.</summary>
internal static class LeakGate
{
    private static readonly ProfileKind[] DefaultSet = [ProfileKind.Goroutine, ProfileKind.Heap, ProfileKind.GoroutineLeak];

    public static async Task<LeakGateResult> RunAsync(LeakGateSettings settings, GoDebugHost host, GoTool? go, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var capture = settings.Capture with
        {
            Profiles = settings.Capture.Profiles.Count == 0 ? DefaultSet : settings.Capture.Profiles,
            // Without a GC first, garbage from the load itself would count as growth.
            HeapGc = true,
        };
        var before = await ProfileCapture.CaptureAsync(capture, host, go, cancellationToken).ConfigureAwait(false);
        ThrowOnFailures(before);
        var endpoint = PprofEndpoint.Create(capture, host.Environment);
        var serviceRoot = new Uri(endpoint.Index, "../../");
        host.Log.Info($"Sending {settings.Requests} requests to {new Uri(serviceRoot, settings.LoadPath.TrimStart('/'))}.");
        await LoadDriver.SendAsync(serviceRoot, [settings.LoadPath.TrimStart('/')], settings.Requests, settings.Concurrency, cancellationToken).ConfigureAwait(false);

        ProfileComparison? comparison = null;
        var verdicts = new List<string>();
        var failed = false;
        var after = await ProfileCapture.CaptureAsync(capture, host, go, staging =>
        {
            var (c, graphs) = ProfileComparer.Compare(before.Directory, staging, double.PositiveInfinity, staging);
            comparison = c;
            (failed, verdicts) = Judge(c, settings);
            return new ComparisonSection(c, graphs, verdicts, failed);
        }, cancellationToken).ConfigureAwait(false);
        ThrowOnFailures(after);
        comparison = comparison! with { HeadDirectory = after.Directory };
        var message = $"{(failed ? "LeakGate failed" : "LeakGate passed")}: {string.Join(" ", verdicts)} Report: {after.ReportPath}";
        if (failed) host.Log.Error(message);
        else host.Log.Info(message);
        return new LeakGateResult(!failed, message, before, after with { Comparison = comparison }, comparison);
    }

    /// <summary>Starts <paramref name="executable"/> on a free loopback port, runs the gate against it, stops it.</summary>
    public static async Task<LeakGateResult> RunOnBinaryAsync(string executable, LeakGateSettings settings, GoDebugHost host, GoTool? go, CancellationToken cancellationToken)
    {
        await using var service = await ServiceProcess.StartAsync(executable, host, settings.Capture.StartupTimeout, cancellationToken).ConfigureAwait(false);
        var capture = settings.Capture with
        {
            BaseUrl = service.BaseUrl.ToString(),
            ServiceName = string.IsNullOrWhiteSpace(settings.Capture.ServiceName) ? Path.GetFileNameWithoutExtension(executable) : settings.Capture.ServiceName,
        };
        return await RunAsync(settings with { Capture = capture }, host, go, cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowOnFailures(ProfileCaptureResult capture)
    {
        if (capture.Failures.Count > 0)
        {
            throw new Diagnostics.GoDebugException($"{capture.Failures[0].Error} (LeakGate needs every profile; report: {capture.ReportPath})");
        }
    }

    internal static (bool Failed, List<string> Verdicts) Judge(ProfileComparison c, LeakGateSettings settings)
    {
        var verdicts = new List<string>();
        var failed = false;
        if (c.GoroutineGrowth is { } g)
        {
            var source = c.UsedGoroutineLeakProfile ? "leaked goroutines (goroutineleak profile)" : "goroutines";
            if (g > settings.MaxGoroutineGrowth)
            {
                failed = true;
                var owners = c.GrowingStacks.GroupBy(s => s.Function).Select(grp => (Function: grp.Key, Growth: grp.Sum(s => s.Growth))).OrderByDescending(o => o.Growth).Take(3)
                    .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Function} (+{o.Growth})"));
                verdicts.Add(string.Create(CultureInfo.InvariantCulture, $"{ProfilingCodes.GoroutineLeak}: {source} grew by {g} (limit {settings.MaxGoroutineGrowth}); leaking: {string.Join(", ", owners)}."));
            }
            else
            {
                verdicts.Add(string.Create(CultureInfo.InvariantCulture, $"{source} grew by {g} (limit {settings.MaxGoroutineGrowth})."));
            }
        }

        if (c.HeapGrowthBytes is { } h)
        {
            if (h > settings.MaxHeapGrowthBytes)
            {
                failed = true;
                var top = c.TopGrowing.Where(t => t.Profile.StartsWith("heap", StringComparison.Ordinal)).Take(3).Select(t => $"{t.Function} (+{Units.Bytes(t.Delta)})");
                verdicts.Add($"{ProfilingCodes.HeapGrowth}: in-use heap grew by {Units.Bytes(h)} (limit {Units.Bytes(settings.MaxHeapGrowthBytes)}); growing: {string.Join(", ", top)}.");
            }
            else
            {
                verdicts.Add($"in-use heap grew by {Units.Bytes(h)} (limit {Units.Bytes(settings.MaxHeapGrowthBytes)}).");
            }
        }

        return (failed, verdicts);
    }
}
