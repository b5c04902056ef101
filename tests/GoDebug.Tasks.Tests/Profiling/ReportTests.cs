using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>report.html opened in headless Chromium: it loads without console errors and shows its tables and graphs.</summary>
public class ReportTests
{
    private static async Task<ProfileCaptureResult> CaptureUnderLoadAsync(string output, GoDebug.Tasks.Hosting.GoDebugHost host, params ProfileKind[] kinds)
    {
        using var load = new CancellationTokenSource();
        var busy = LoadDriver.SustainAsync(SampleService.BaseUrl, SampleProfiler.SampleLoad, load.Token);
        try
        {
            return await ProfileCapture.CaptureAsync(SampleService.Settings(output, kinds), host, null, CancellationToken.None);
        }
        finally
        {
            await load.CancelAsync();
            await busy;
        }
    }

    [Test]
    public async Task The_full_report_shows_tables_flame_graphs_call_graphs_and_trace_views_in_Chromium()
    {
        Assert.That(PathSearch("dot"), Is.Not.Null, "Graphviz dot must be installed for this test (apt-get install graphviz; .ci/run installs it)");
        using var temp = new TempDir("rep");
        var log = new RecordingLog();
        var result = await CaptureUnderLoadAsync(temp.Path, SampleService.Host(log));
        Assert.That(result.Failures, Is.Empty, log.Text);

        await using var chromium = await HeadlessChromium.StartAsync();
        await chromium.NavigateAsync(new Uri(result.ReportPath).AbsoluteUri);
        var facts = await chromium.EvaluateAsync("""
            ({
              summaryRows: document.querySelectorAll('table.summary tr').length,
              topTables: document.querySelectorAll('table.top').length,
              flames: [...document.querySelectorAll('svg.flamegraph')].map(s => s.getBoundingClientRect().width),
              callGraphs: [...document.querySelectorAll('img.callgraph')].map(i => i.complete && i.naturalWidth > 0),
              traceViews: document.querySelectorAll('table.trace-parts tr').length,
              traceFlames: [...document.querySelectorAll('svg.flamegraph')].filter(s => s.dataset.title.startsWith('trace ')).length,
              heading: document.querySelector('h1').textContent,
            })
            """);
        var screenshot = temp.Combine("report.png");
        await File.WriteAllBytesAsync(screenshot, await chromium.ScreenshotAsync());
        var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"profiling-report-{Guid.NewGuid():N}.png");
        File.Copy(screenshot, kept);
        TestContext.AddTestAttachment(kept, "report.html in headless Chromium");

        Assert.That(chromium.Errors, Is.Empty, "no console errors or exceptions");
        var text = HeadlessChromium.Json(facts);
        Assert.That(facts!["summaryRows"]!.GetValue<int>(), Is.EqualTo(ProfileKinds.All.Count + 1), text);
        Assert.That(facts["topTables"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(7), text);
        var flames = facts["flames"]!.AsArray().Select(w => w!.GetValue<double>()).ToList();
        Assert.That(flames, Has.Count.GreaterThanOrEqualTo(8), text);
        Assert.That(flames, Has.All.GreaterThan(100), "every flame graph is drawn at a visible size");
        var callGraphs = facts["callGraphs"]!.AsArray().Select(c => c!.GetValue<bool>()).ToList();
        Assert.That(callGraphs, Is.Not.Empty.And.All.True, "go tool pprof -svg call graphs are embedded and render");
        Assert.That(facts["traceViews"]!.GetValue<int>(), Is.EqualTo(GoProfileTools.TraceProfiles.Count + 1), text);
        Assert.That(facts["traceFlames"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(1), "at least one trace view (sched/sync/net/syscall) has data as a flame graph");
        Assert.That(await File.ReadAllTextAsync(result.ReportPath), Does.Contain("go tool pprof -http=: heap.pb.gz").And.Contain("go tool trace trace.out"));
    }

    [Test]
    public async Task Without_Graphviz_the_report_says_so_and_still_has_every_flame_graph()
    {
        using var temp = new TempDir("nodot");
        var emptyBin = Directory.CreateDirectory(temp.Combine("bin")).FullName;
        var host = SampleService.Host();
        host = host with { Environment = host.Environment.With("PATH", emptyBin) };
        var result = await CaptureUnderLoadAsync(temp.Combine("out"), host, ProfileKind.Heap, ProfileKind.Goroutine, ProfileKind.Cpu);
        Assert.That(result.Failures, Is.Empty);

        await using var chromium = await HeadlessChromium.StartAsync();
        await chromium.NavigateAsync(new Uri(result.ReportPath).AbsoluteUri);
        var facts = await chromium.EvaluateAsync("""
            ({
              flames: document.querySelectorAll('svg.flamegraph').length,
              callGraphs: document.querySelectorAll('img.callgraph').length,
              missing: [...document.querySelectorAll('.callgraph-missing')].map(p => p.textContent),
              topTables: document.querySelectorAll('table.top').length,
            })
            """);
        Assert.That(chromium.Errors, Is.Empty);
        Assert.That(facts!["flames"]!.GetValue<int>(), Is.EqualTo(4), "heap inuse_space and alloc_space, goroutine, cpu");
        Assert.That(facts["callGraphs"]!.GetValue<int>(), Is.Zero);
        Assert.That(facts["missing"]!.AsArray().Select(m => m!.GetValue<string>()).ToList(), Has.Count.EqualTo(3).And.All.Contain(ProfilingCodes.NoGraphviz));
        Assert.That(facts["topTables"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(3));
        Assert.That(Directory.GetFiles(result.Directory, "callgraph-*"), Is.Empty);
    }

    private static string? PathSearch(string name) => GoDebug.Tasks.Toolchain.PathSearch.OnPath(name).FirstOrDefault();
}
