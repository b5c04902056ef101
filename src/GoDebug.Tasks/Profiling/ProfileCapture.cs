using System.Globalization;
using System.Text.Json;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// Captures a chosen set of profiles from a running service concurrently (the whole capture takes about as long
/// as the longest one), validates each, and writes the capture folder: raw files, meta.json and report.html.
/// The folder is assembled under a temporary name and renamed into place at the end, so a reader never sees
/// a half-written capture and a failed or cancelled one leaves nothing behind.
/// </summary>
internal static class ProfileCapture
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static Task<ProfileCaptureResult> CaptureAsync(ProfileCaptureSettings settings, GoDebugHost host, GoTool? go, CancellationToken cancellationToken)
        => CaptureAsync(settings, host, go, null, cancellationToken);

    /// <summary>As above; <paramref name="compare"/> (given the folder being written) adds a comparison to the report.</summary>
    internal static async Task<ProfileCaptureResult> CaptureAsync(ProfileCaptureSettings settings, GoDebugHost host, GoTool? go, Func<string, ComparisonSection>? compare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = PprofEndpoint.Create(settings, host.Environment);
        var kinds = settings.Profiles.Count == 0 ? ProfileKinds.All : settings.Profiles.Distinct().ToList();
        var started = host.Time.GetUtcNow();
        var final = FinalDirectory(settings, endpoint, host, started);
        var staging = AtomicFile.TempSibling(final, "partial");
        Directory.CreateDirectory(staging);
        try
        {
            host.Log.Info($"Capturing {string.Join(", ", kinds.Select(ProfileKinds.Endpoint))} from {endpoint.Index}{(kinds.Any(ProfileKinds.IsTimed) ? $" ({settings.Seconds} s)" : string.Empty)}.");
            var clock = host.Time.GetTimestamp();
            using var fetcher = new PprofFetcher(endpoint, host, settings.StartupTimeout);
            var fetches = kinds.Select(kind => FetchOneAsync(fetcher, kind, settings.Seconds, staging, host, cancellationToken)).ToList();
            var malloc = settings.MallocTraceSeconds > 0
                ? BpfMallocTracer.CaptureAsync(endpoint.Index, settings.MallocTraceSeconds, host, cancellationToken)
                : Task.FromResult<MallocTrace?>(null)!;
            var captured = await Task.WhenAll(fetches).ConfigureAwait(false);
            var mallocTrace = await malloc.ConfigureAwait(false);
            var wall = host.Time.GetElapsedTime(clock);
            foreach (var c in captured.Where(c => c.Error is not null)) host.Log.Warning($"{ProfileKinds.Endpoint(c.Kind)}: {c.Error}");

            var tools = new GoProfileTools(host, go);
            var analyzer = new ProfileAnalyzer(host, tools, settings.CallGraphs);
            // Each analysis is independent (its own files, its own go tool processes), so they overlap.
            var analyses = captured.Where(c => c.Succeeded && c.Kind != ProfileKind.Trace).Select(c => Task.Run(() => analyzer.AnalyzeAsync(staging, c, cancellationToken), cancellationToken)).ToList();
            var traceCapture = captured.FirstOrDefault(c => c.Succeeded && c.Kind == ProfileKind.Trace);
            var traceAnalysis = traceCapture is null ? Task.FromResult<TraceSection?>(null) : Task.Run<TraceSection?>(async () => await analyzer.AnalyzeTraceAsync(staging, traceCapture, cancellationToken).ConfigureAwait(false), cancellationToken);
            var sections = await Task.WhenAll(analyses).ConfigureAwait(false);
            var trace = await traceAnalysis.ConfigureAwait(false);
            var mallocFlame = mallocTrace is null ? null : ProfileAnalyzer.MallocFlame(staging, mallocTrace);
            if (mallocTrace?.Skipped is { } why) host.Log.Warning(why);
            var comparison = compare?.Invoke(staging);

            var title = $"Profiles of {endpoint.Index.GetLeftPart(UriPartial.Authority)}";
            var model = new ReportModel(title, endpoint.Index.ToString(), started, wall, captured, sections, trace, mallocTrace, mallocFlame, comparison);
            WriteMeta(staging, model, settings, host.Time.GetUtcNow());
            AtomicFile.WriteText(Path.Combine(staging, "report.html"), html => ReportWriter.Write(html, model, staging));
            Directory.Move(staging, final);
            var report = Path.Combine(final, "report.html");
            host.Log.Info($"Report: {report}");
            return new ProfileCaptureResult(final, report, captured, wall) { Comparison = comparison?.Comparison };
        }
        catch
        {
            AtomicFile.TryDelete(staging);
            throw;
        }
    }

    private static async Task<CapturedProfile> FetchOneAsync(PprofFetcher fetcher, ProfileKind kind, int seconds, string dir, GoDebugHost host, CancellationToken cancellationToken)
    {
        var url = fetcher.Endpoint.UrlOf(kind, seconds);
        var started = host.Time.GetUtcNow();
        var clock = host.Time.GetTimestamp();
        try
        {
            var fetched = await fetcher.FetchAsync(kind, seconds, Path.Combine(dir, ProfileKinds.FileName(kind)), cancellationToken).ConfigureAwait(false);
            return new CapturedProfile(kind, url.ToString(), ProfileKinds.FileName(kind), fetched.Bytes, fetched.Started, fetched.Duration.TotalMilliseconds, null);
        }
        catch (Diagnostics.GoDebugException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var ms = host.Time.GetElapsedTime(clock).TotalMilliseconds;
            // goroutineleak exists from Go 1.26 on: asking is the probe, and its absence means "fall back to goroutine", not a failure.
            if (kind == ProfileKind.GoroutineLeak && ProfilingCodes.CodeOf(ex.Message) == ProfilingCodes.PprofError && ex.Message.Contains("Unknown profile", StringComparison.OrdinalIgnoreCase))
            {
                return new CapturedProfile(kind, url.ToString(), null, 0, started, ms, null, "the service does not offer it (Go 1.26+ only)");
            }

            return new CapturedProfile(kind, url.ToString(), null, 0, started, ms, ex.Message);
        }
    }

    private static string FinalDirectory(ProfileCaptureSettings settings, PprofEndpoint endpoint, GoDebugHost host, DateTimeOffset started)
    {
        var root = Path.GetFullPath(settings.OutputDirectory, host.Environment.WorkingDirectory);
        var service = string.IsNullOrWhiteSpace(settings.ServiceName) ? endpoint.ServiceName : settings.ServiceName;
        if (service.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || service is "." or "..")
        {
            throw ProfilingCodes.Error(ProfilingCodes.BadSetting, $"The service name '{service}' cannot be a folder name.");
        }

        return UniqueStamped(Path.Combine(root, service), started);
    }

    /// <summary><c>&lt;parent&gt;/20260101T120000123Z</c>; milliseconds so LeakGate's two captures in one second get two folders.</summary>
    internal static string UniqueStamped(string parent, DateTimeOffset when)
    {
        var stamp = when.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var path = Path.Combine(parent, stamp);
        for (var i = 2; Directory.Exists(path); i++) path = Path.Combine(parent, $"{stamp}-{i}");
        return path;
    }

    private static void WriteMeta(string dir, ReportModel model, ProfileCaptureSettings settings, DateTimeOffset finished)
    {
        var meta = new
        {
            url = model.ServiceUrl,
            started = model.Started,
            finished,
            wallTimeMs = Math.Round(model.WallTime.TotalMilliseconds, 1),
            seconds = settings.Seconds,
            heapGc = settings.HeapGc,
            profiles = model.Profiles.Select(p => new
            {
                kind = ProfileKinds.Endpoint(p.Kind),
                url = p.Url,
                file = p.File,
                bytes = p.Bytes,
                started = p.Started,
                durationMs = Math.Round(p.DurationMs, 1),
                code = p.Error is null ? null : ProfilingCodes.CodeOf(p.Error),
                error = p.Error,
                skipped = p.Skipped,
            }),
            trace = model.Trace is null ? null : new { goVersion = model.Trace.Header.Version, coveredMs = model.Trace.Covered?.TotalMilliseconds, readWith = model.Trace.GoUsed, error = model.Trace.Error, views = model.Trace.Parts.Select(p => new { kind = p.Kind, file = p.File, total = p.Total, error = p.Error }) },
            malloc = model.Malloc is null ? null : new { pid = model.Malloc.Pid, executable = model.Malloc.Executable, calls = model.Malloc.Stacks?.Value, skipped = model.Malloc.Skipped },
            callGraphs = model.Sections.Select(s => new { kind = ProfileKinds.Endpoint(s.Kind), file = s.CallGraphFile, error = s.CallGraphError }),
            comparison = model.Comparison is null ? null : new
            {
                @base = model.Comparison.Comparison.BaseDirectory,
                goroutineGrowth = model.Comparison.Comparison.GoroutineGrowth,
                heapGrowthBytes = model.Comparison.Comparison.HeapGrowthBytes,
                failed = model.Comparison.Failed,
                verdicts = model.Comparison.Verdicts,
            },
        };
        AtomicFile.WriteAllText(Path.Combine(dir, "meta.json"), JsonSerializer.Serialize(meta, Json) + "\n");
    }
}
