using System.Globalization;
using System.IO.Compression;
using Google.Protobuf;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Profiling;
using Proto = GoDebug.Tasks.Profiling.Proto;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Profiling: (1) a full capture of the sample app (6 instant profiles, a 5 s CPU profile and a 5 s trace, under
/// load) against the same endpoints fetched one after another with curl; the goal is at most 1.1x the longest
/// single request. (2) Analysis and report of a ~50 MB heap profile (totals, top tables, flame graphs, HTML) against
/// <c>go tool pprof -top</c> on the same file (goal: 10x faster), each a process of its own, with our peak RSS
/// against the uncompressed profile (goal: at most 2x).
/// </summary>
internal sealed class ProfilingBench : IBenchmark
{
    private const int Seconds = 5;

    private static readonly ProfileKind[] Full =
        [ProfileKind.Heap, ProfileKind.Allocs, ProfileKind.Goroutine, ProfileKind.Block, ProfileKind.Mutex, ProfileKind.ThreadCreate, ProfileKind.Cpu, ProfileKind.Trace];

    public string Name => "profiling";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(context.ScratchDirectory);
        var go = await GoTool.FromExecutableAsync(context.GoExecutable, cancellationToken).ConfigureAwait(false);
        var host = GoDebugHost.Create(new RecordingLog());
        var rows = new List<BenchRow>();
        rows.AddRange(await CaptureAsync(context, go, host, cancellationToken).ConfigureAwait(false));
        rows.AddRange(await BigHeapAsync(context, go, cancellationToken).ConfigureAwait(false));
        return rows;
    }

    private static async Task<IReadOnlyList<BenchRow>> CaptureAsync(BenchContext context, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
    {
        var app = Path.Combine(context.ScratchDirectory, "app");
        Console.WriteLine("  building the sample app...");
        (await ProcessRunner.Default.RunAsync(go.Command(["build", "-o", app, "."], Path.Combine(context.RepositoryRoot, "samples", "workspace", "app")), cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        await using var service = await ServiceProcess.StartAsync(app, host, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        using var load = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var busy = LoadDriver.SustainAsync(service.BaseUrl, SampleProfiler.SampleLoad, load.Token);
        try
        {
            var settings = new ProfileCaptureSettings
            {
                BaseUrl = service.BaseUrl.ToString(),
                Profiles = Full,
                Seconds = Seconds,
                OutputDirectory = Path.Combine(context.ScratchDirectory, "captures"),
                CallGraphs = false,
            };
            Console.WriteLine("  concurrent capture...");
            var fetch = 0.0;
            var ours = await Stopwatches.OnceMsAsync(async () =>
            {
                var result = await ProfileCapture.CaptureAsync(settings, host, go, cancellationToken).ConfigureAwait(false);
                if (result.Failures.Count > 0) throw new InvalidOperationException(result.Failures[0].Error);
                fetch = result.WallTime.TotalMilliseconds;
            }).ConfigureAwait(false);

            Console.WriteLine("  the same endpoints with curl, one after another...");
            var endpoint = PprofEndpoint.Create(settings, host.Environment);
            var longest = 0.0;
            var curl = await Stopwatches.OnceMsAsync(async () =>
            {
                foreach (var kind in Full)
                {
                    var single = await Stopwatches.OnceMsAsync(async () =>
                        (await ProcessRunner.Default.RunAsync("curl", ["-sS", "-f", "-o", Path.Combine(context.ScratchDirectory, "curl-" + ProfileKinds.FileName(kind)), endpoint.UrlOf(kind, Seconds).ToString()], null, cancellationToken).ConfigureAwait(false)).EnsureSuccess()).ConfigureAwait(false);
                    longest = Math.Max(longest, single);
                }
            }).ConfigureAwait(false);
            var goal = fetch <= 1.1 * longest ? "met" : "missed";
            return
            [
                new BenchRow("profiling", "capture of 6 instant profiles + 5 s CPU + 5 s trace, validated, vs the same endpoints with sequential curl", fetch, curl,
                    string.Create(CultureInfo.InvariantCulture, $"longest single request {longest:0} ms; ours / longest = {fetch / longest:0.00} (goal <= 1.1: {goal})")),
                new BenchRow("profiling", "the same capture including report.html (decoding, top tables, flame graphs, 4 go tool trace views)", ours, curl, "curl leaves raw files only"),
            ];
        }
        finally
        {
            await load.CancelAsync().ConfigureAwait(false);
            await busy.ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<BenchRow>> BigHeapAsync(BenchContext context, GoTool go, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(context.ScratchDirectory, "big");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "heap.pb.gz");
        Console.WriteLine("  writing a ~50 MB heap profile...");
        WriteBigHeapProfile(file, 50L << 20);
        var size = new FileInfo(file).Length;
        var uncompressed = UncompressedLength(file);

        // Both sides are whole processes, so both pay their start and their peak memory is their own.
        Console.WriteLine("  our report, in a process of its own (median of 5 after one warm-up)...");
        var (before, peak) = (0L, 0L);
        var ours = await Stopwatches.MedianMsAsync(5, async () =>
        {
            var run = await ProcessRunner.Default.RunAsync(Environment.ProcessPath!, [ReportOnce, file, dir], null, cancellationToken).ConfigureAwait(false);
            run.EnsureSuccess();
            var numbers = run.StandardOutput.Trim().Split('\n')[^1].Split(' ');
            (before, peak) = (long.Parse(numbers[0], CultureInfo.InvariantCulture), long.Parse(numbers[1], CultureInfo.InvariantCulture));
        }).ConfigureAwait(false);
        Console.WriteLine("  go tool pprof -top...");
        var pprof = await Stopwatches.OnceMsAsync(async () =>
            (await ProcessRunner.Default.RunAsync(go.Command(["tool", "pprof", "-top", file]), cancellationToken).ConfigureAwait(false)).EnsureSuccess()).ConfigureAwait(false);
        var ratio = (double)(peak - before) / uncompressed;
        return
        [
            new BenchRow("profiling", string.Create(CultureInfo.InvariantCulture, $"report of a {size / (1 << 20)} MB heap profile ({uncompressed / (1 << 20)} MB uncompressed) vs go tool pprof -top"), ours, pprof,
                string.Create(CultureInfo.InvariantCulture, $"ours (median of 5 processes; pprof once): decode, totals and top tables of 4 sample types, 2 flame graphs, report.html; goal 10x: {(pprof >= 10 * ours ? "met" : "missed")}; our peak RSS {peak / (1 << 20)} MiB, {(peak - before) / (1 << 20)} MiB over the {before / (1 << 20)} MiB before the report = {ratio:0.00}x the uncompressed profile (goal <= 2x: {(ratio <= 2 ? "met" : "missed")})")),
        ];
    }

    /// <summary>The argument that makes the bench program write one report and print its RSS before it and its peak RSS, in bytes.</summary>
    internal const string ReportOnce = "report-once";

    /// <summary>The report of <paramref name="file"/> as Profile writes it; this process's resident memory before it and at its peak.</summary>
    internal static async Task<(long Before, long Peak)> ReportOnceAsync(string file, string dir, CancellationToken cancellationToken)
    {
        var host = GoDebugHost.Create(new RecordingLog());
        var before = Status("VmHWM:");
        var captured = new CapturedProfile(ProfileKind.Heap, "file", Path.GetFileName(file), new FileInfo(file).Length, DateTimeOffset.UtcNow, 0, null);
        var section = await new ProfileAnalyzer(host, new GoProfileTools(host, null), callGraphs: false).AnalyzeAsync(dir, captured, cancellationToken).ConfigureAwait(false);
        var model = new ReportModel("bench", "file", DateTimeOffset.UtcNow, TimeSpan.Zero, [captured], [section], null, null, null, null);
        FileSystem.AtomicFile.WriteText(Path.Combine(dir, "report.html"), html => ReportWriter.Write(html, model, dir));
        return (before, Status("VmHWM:"));
    }

    /// <summary>A size line of /proc/self/status (kB there), in bytes.</summary>
    private static long Status(string key)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static long UncompressedLength(string gzipFile)
    {
        using var stream = File.OpenRead(gzipFile);
        stream.Position = stream.Length - 4;
        var trailer = new byte[4];
        stream.ReadExactly(trailer);
        return BitConverter.ToUInt32(trailer);
    }

    /// <summary>
    /// A heap profile shaped like a large service's: many functions, deep stacks sharing prefixes, four sample types.
    /// Written until the gzip file reaches <paramref name="targetBytes"/>.
    /// </summary>
    private static void WriteBigHeapProfile(string path, long targetBytes)
    {
        const int functions = 40_000;
        var random = new Random(42);
        var p = new Proto.Profile();
        p.StringTable.Add(string.Empty);
        long Str(string s)
        {
            p.StringTable.Add(s);
            return p.StringTable.Count - 1;
        }

        foreach (var (type, unit) in new[] { ("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes") })
        {
            p.SampleType.Add(new Proto.ValueType { Type = Str(type), Unit = Str(unit) });
        }

        for (ulong id = 1; id <= functions; id++)
        {
            p.Function.Add(new Proto.Function { Id = id, Name = Str(string.Create(CultureInfo.InvariantCulture, $"example.com/svc/pkg{id % 400}.(*T{id % 37}).Method{id}")), Filename = Str($"pkg{id % 400}/file{id % 11}.go") });
            p.Location.Add(new Proto.Location { Id = id, Address = 0x400000 + (id * 16), Line = { new Proto.Line { FunctionId = id, Line_ = (long)(id % 500) + 1 } } });
        }

        // Samples are added in batches and the file is measured by writing it; estimated from the first batch.
        var samples = 200_000;
        while (true)
        {
            while (p.Sample.Count < samples)
            {
                var depth = random.Next(8, 28);
                var sample = new Proto.Sample();
                ulong frame = (ulong)random.Next(1, 50);
                var stack = new ulong[depth];
                for (var i = 0; i < depth; i++)
                {
                    stack[i] = frame;
                    frame = (frame * 31 + (ulong)random.Next(0, 6)) % functions + 1;
                }

                Array.Reverse(stack);
                sample.LocationId.Add(stack);
                var objects = random.Next(1, 200);
                var bytes = objects * random.Next(16, 4096);
                sample.Value.Add([objects, bytes, objects / 3, bytes / 3]);
                p.Sample.Add(sample);
            }

            using (var output = File.Create(path))
            using (var gz = new GZipStream(output, CompressionLevel.Fastest))
            {
                p.WriteTo(gz);
            }

            var size = new FileInfo(path).Length;
            if (size >= targetBytes * 0.95) return;
            samples = (int)(samples * (double)targetBytes / size) + 1000;
        }
    }
}
