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
/// <c>go tool pprof -top</c> plus <c>go tool pprof -svg</c> on the same file.
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
        rows.AddRange(await BigHeapAsync(context, go, host, cancellationToken).ConfigureAwait(false));
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

    private static async Task<IReadOnlyList<BenchRow>> BigHeapAsync(BenchContext context, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(context.ScratchDirectory, "big");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "heap.pb.gz");
        Console.WriteLine("  writing a ~50 MB heap profile...");
        WriteBigHeapProfile(file, 50L << 20);
        var size = new FileInfo(file).Length;

        var captured = new CapturedProfile(ProfileKind.Heap, "file", "heap.pb.gz", size, DateTimeOffset.UtcNow, 0, null);
        var analyzer = new ProfileAnalyzer(host, new GoProfileTools(host, go), callGraphs: false);
        Console.WriteLine("  our analysis and report...");
        var ours = await Stopwatches.OnceMsAsync(async () =>
        {
            var section = await analyzer.AnalyzeAsync(dir, captured, cancellationToken).ConfigureAwait(false);
            var model = new ReportModel("bench", "file", DateTimeOffset.UtcNow, TimeSpan.Zero, [captured], [section], null, null, null, null);
            FileSystem.AtomicFile.WriteAllText(Path.Combine(dir, "report.html"), ReportWriter.Render(model, dir));
        }).ConfigureAwait(false);
        Console.WriteLine("  go tool pprof -top and -svg...");
        var pprof = await Stopwatches.OnceMsAsync(async () =>
        {
            (await ProcessRunner.Default.RunAsync(go.Command(["tool", "pprof", "-top", file]), cancellationToken).ConfigureAwait(false)).EnsureSuccess();
            (await ProcessRunner.Default.RunAsync(go.Command(["tool", "pprof", "-svg", "-output", Path.Combine(dir, "pprof.svg"), file]), cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        }).ConfigureAwait(false);
        return
        [
            new BenchRow("profiling", string.Create(CultureInfo.InvariantCulture, $"report of a {size / (1 << 20)} MB heap profile vs go tool pprof -top + -svg"), ours, pprof,
                "ours: decode, totals and top tables of 4 sample types, 2 flame graphs, report.html; pprof: text top + Graphviz call graph"),
        ];
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
