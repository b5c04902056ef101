using Cake.Core;
using Cake.Core.Annotations;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Cake;

/// <summary>Cake aliases that capture pprof profiles and execution traces, report them, and gate on leaks and regressions.</summary>
[CakeAliasCategory("GoDebug")]
public static class ProfilingAliases
{
    /// <summary>
    /// Captures profiles from a running service (concurrently; CPU and trace for <see cref="ProfileCaptureSettings.Seconds"/>)
    /// into <c>&lt;output&gt;/&lt;service&gt;/&lt;UTC timestamp&gt;/</c> with meta.json and a self-contained report.html.
    /// </summary>
    /// <example><code>
    /// var capture = GoProfile(new ProfileCaptureSettings { BaseUrl = "http://127.0.0.1:8080", Seconds = 10 });
    /// Information("Report: {0}", capture.ReportPath);
    /// </code></example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">What to capture and where.</param>
    /// <param name="go">The toolchain for call graphs and trace views; null finds an installed one.</param>
    /// <returns>The capture folder, its report and every profile's outcome.</returns>
    /// <exception cref="CakeException">A profile could not be captured (the report is still written and named).</exception>
    [CakeMethodAlias]
    public static ProfileCaptureResult GoProfile(this ICakeContext context, ProfileCaptureSettings settings, GoToolchainResult? go = null)
        => Checked(CakeRun.Run(context, (host, ct) => ProfileCapture.CaptureAsync(settings, host, go?.ToGoTool(), ct)));

    /// <summary>
    /// Starts a built main package (the bundled sample by default) on a free loopback port, keeps it busy with
    /// requests to <paramref name="loadPaths"/>, captures everything as <see cref="GoProfile"/> does, and stops it.
    /// <see cref="ProfileCaptureSettings.BaseUrl"/> is ignored.
    /// </summary>
    /// <example><code>
    /// var capture = GoProfileService(GoBuild(go, new GoBuildSettings { Workspace = "samples/workspace" }), new ProfileCaptureSettings(), "app");
    /// </code></example>
    /// <param name="context">The Cake context.</param>
    /// <param name="built">The build from <c>GoBuild</c>.</param>
    /// <param name="settings">What to capture and where.</param>
    /// <param name="program">Which main package (full path or its last elements); null or empty: the first.</param>
    /// <param name="loadPaths">Paths to request while capturing; null uses the sample's /hello, /sum and /leak.</param>
    /// <param name="go">The toolchain for call graphs and trace views; null finds an installed one.</param>
    /// <returns>The capture folder, its report and every profile's outcome.</returns>
    /// <exception cref="CakeException">A profile could not be captured, or the program did not start.</exception>
    [CakeMethodAlias]
    public static ProfileCaptureResult GoProfileService(this ICakeContext context, GoBuildResult built, ProfileCaptureSettings settings, string? program = null, IReadOnlyList<string>? loadPaths = null, GoToolchainResult? go = null)
        => Checked(CakeRun.Run(context, (host, ct) =>
        {
            var target = DebugTarget.Choose(built, program, host);
            return SampleProfiler.RunAsync(target.OutputPath, settings, loadPaths ?? SampleProfiler.SampleLoad, host, go?.ToGoTool(), ct);
        }));

    /// <summary>
    /// Captures goroutine and heap profiles, sends <see cref="LeakGateSettings.Requests"/> requests to
    /// <see cref="LeakGateSettings.LoadPath"/>, captures again and fails when goroutines or the in-use heap grew past
    /// their limits, naming the functions that grew. With <paramref name="built"/> and no base URL it starts that
    /// program itself.
    /// </summary>
    /// <example><code>
    /// GoLeakGate(new LeakGateSettings { Capture = new ProfileCaptureSettings { BaseUrl = "http://127.0.0.1:8080" }, LoadPath = "/api/orders" });
    /// </code></example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Service, load and limits.</param>
    /// <param name="built">A build to start when no base URL is set; null requires a base URL.</param>
    /// <param name="program">Which main package of <paramref name="built"/>.</param>
    /// <param name="go">The toolchain; null finds an installed one.</param>
    /// <returns>The verdict, both captures and the growth figures.</returns>
    /// <exception cref="CakeException">The gate failed (the message names the leaking functions and the report).</exception>
    [CakeMethodAlias]
    public static LeakGateResult GoLeakGate(this ICakeContext context, LeakGateSettings settings, GoBuildResult? built = null, string? program = null, GoToolchainResult? go = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = CakeRun.Run(context, (host, ct) =>
            built is not null && string.IsNullOrWhiteSpace(settings.Capture.BaseUrl)
                ? LeakGate.RunOnBinaryAsync(DebugTarget.Choose(built, program, host).OutputPath, settings, host, go?.ToGoTool(), ct)
                : LeakGate.RunAsync(settings, host, go?.ToGoTool(), ct));
        return result.Passed ? result : throw new CakeException(result.Message);
    }

    /// <summary>
    /// Compares two saved capture folders and fails when a function's flat share of CPU or allocated bytes grew by more
    /// than <see cref="ProfileDiffSettings.RegressionThreshold"/> percentage points; writes a report with differential flame graphs.
    /// </summary>
    /// <example><code>
    /// GoProfileDiff(new ProfileDiffSettings { BaseDirectory = "baseline/profiles", HeadDirectory = capture.Directory, RegressionThreshold = 5 });
    /// </code></example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The two folders and the threshold.</param>
    /// <returns>The verdict, the report and the figures.</returns>
    /// <exception cref="CakeException">A regression past the threshold (named in the message), or a folder is missing.</exception>
    [CakeMethodAlias]
    public static ProfileDiffResult GoProfileDiff(this ICakeContext context, ProfileDiffSettings settings)
    {
        var result = CakeRun.Run(context, (host, ct) => ProfileDiff.RunAsync(settings, host, ct));
        return result.Passed ? result : throw new CakeException(result.Message);
    }

    private static ProfileCaptureResult Checked(ProfileCaptureResult result)
        => result.Failures.Count == 0
            ? result
            : throw new CakeException($"{result.Failures.Count} profile(s) failed: {string.Join(" ", result.Failures.Select(f => f.Error))} Report: {result.ReportPath}");
}
