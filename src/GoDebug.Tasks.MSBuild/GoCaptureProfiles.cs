using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Profiling;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>
/// Captures pprof profiles and an execution trace from a running Go service into a report folder; with a
/// <see cref="LoadPath"/> it is a leak gate instead (capture, load, capture, fail on growth). MSBuild front end of
/// the profiling engine.
/// </summary>
public sealed class GoCaptureProfiles : GoDebugTask
{
    /// <summary>The service's base URL or its <c>/debug/pprof/</c> index.</summary>
    [Required]
    public string Url { get; set; } = string.Empty;

    /// <summary>Profiles to capture, ';' or ',' separated (heap, allocs, goroutine, block, mutex, threadcreate, cpu, trace, goroutineleak); empty for all.</summary>
    public string? Profiles { get; set; }

    /// <summary>Seconds of the CPU profile and the trace. Default 5.</summary>
    public int Seconds { get; set; } = 5;

    /// <summary>Take the heap profile after a GC.</summary>
    public bool HeapGc { get; set; }

    /// <summary>Environment variable holding a bearer token (never logged).</summary>
    public string? TokenVariable { get; set; }

    /// <summary>Root folder of the reports.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Folder name of the service; empty derives it from the URL.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Per-request timeout in seconds (added to <see cref="Seconds"/> for CPU and trace). Default 30.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds of bpftrace malloc-stack sampling (root only); 0 leaves it out.</summary>
    public int MallocTraceSeconds { get; set; }

    /// <summary>When set, run the leak gate with GET requests to this path between two captures.</summary>
    public string? LoadPath { get; set; }

    /// <summary>Leak gate: requests to send. Default 100.</summary>
    public int Requests { get; set; } = 100;

    /// <summary>Leak gate: most goroutines the load may leave behind. Default 10.</summary>
    public long MaxGoroutineGrowth { get; set; } = 10;

    /// <summary>Leak gate: most in-use heap growth, e.g. <c>8MB</c>. Default 8MB.</summary>
    public string? MaxHeapGrowth { get; set; }

    /// <summary>The capture folder written (the second one for a leak gate).</summary>
    [Output]
    public string CaptureDirectory { get; private set; } = string.Empty;

    /// <summary>Its report.html.</summary>
    [Output]
    public string ReportPath { get; private set; } = string.Empty;

    internal override async Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = new ProfileCaptureSettings
        {
            BaseUrl = Url,
            Profiles = ProfileSet.Parse(Profiles),
            Seconds = Seconds,
            HeapGc = HeapGc,
            TokenVariable = TaskInputs.NullIfEmpty(TokenVariable),
            OutputDirectory = OutputDirectory,
            ServiceName = TaskInputs.NullIfEmpty(ServiceName),
            RequestTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
            MallocTraceSeconds = MallocTraceSeconds,
        };
        if (TaskInputs.NullIfEmpty(LoadPath) is { } load)
        {
            var maxHeap = TaskInputs.NullIfEmpty(MaxHeapGrowth) is { } text
                ? ProfileSet.TryParseSize(text) ?? throw new Diagnostics.GoDebugException($"GoProfileMaxHeapGrowth '{text}' is not a size (e.g. 8MB, 512KB, 1048576).")
                : 8L << 20;
            var gate = await LeakGate.RunAsync(
                new LeakGateSettings { Capture = settings, LoadPath = load, Requests = Requests, MaxGoroutineGrowth = MaxGoroutineGrowth, MaxHeapGrowthBytes = maxHeap },
                host,
                null,
                cancellationToken).ConfigureAwait(false);
            CaptureDirectory = gate.After.Directory;
            ReportPath = gate.After.ReportPath;
            // The engine logged the verdict as an error already when it failed; MSBuild fails on logged errors.
            return;
        }

        var result = await ProfileCapture.CaptureAsync(settings, host, null, cancellationToken).ConfigureAwait(false);
        CaptureDirectory = result.Directory;
        ReportPath = result.ReportPath;
        foreach (var failure in result.Failures)
        {
            var code = ProfilingCodes.CodeOf(failure.Error!);
            Log.LogError(null, code.Length > 0 ? code : "GO0001", null, null, 0, 0, 0, 0, "{0} (report: {1})", failure.Error!, result.ReportPath);
        }
    }
}
