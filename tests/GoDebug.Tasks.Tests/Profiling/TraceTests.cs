using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>
/// Execution traces in both formats: Go 1.19's (before the 1.22 rewrite) and Go 1.22+'s. Each is written by a small
/// program built with that Go, then read through the go the toolchain hands the analyzer.
/// </summary>
public class TraceTests
{
    private const string Program = """
        package main

        import (
        	"fmt"
        	"net"
        	"os"
        	"runtime/trace"
        	"sync"
        	"time"
        )

        func main() {
        	f, err := os.Create(os.Args[1])
        	if err != nil {
        		panic(err)
        	}
        	started := time.Now()
        	if err := trace.Start(f); err != nil {
        		panic(err)
        	}
        	ln, err := net.Listen("tcp", "127.0.0.1:0")
        	if err != nil {
        		panic(err)
        	}
        	go func() {
        		c, _ := ln.Accept()
        		time.Sleep(20 * time.Millisecond)
        		c.Write([]byte("x"))
        		c.Close()
        	}()
        	c, err := net.Dial("tcp", ln.Addr().String())
        	if err != nil {
        		panic(err)
        	}
        	buf := make([]byte, 1)
        	c.Read(buf)
        	var mu sync.Mutex
        	var wg sync.WaitGroup
        	for i := 0; i < 8; i++ {
        		wg.Add(1)
        		go func() {
        			defer wg.Done()
        			for j := 0; j < 200; j++ {
        				mu.Lock()
        				time.Sleep(10 * time.Microsecond)
        				mu.Unlock()
        			}
        		}()
        	}
        	wg.Wait()
        	time.Sleep(300 * time.Millisecond)
        	trace.Stop()
        	fmt.Println(time.Since(started).Nanoseconds())
        	f.Close()
        }
        """;

    /// <summary>The newer format: the product's installer asked for Go 1.22 or later.</summary>
    private static async Task<GoTool> NewGoAsync()
    {
        using var temp = new TempDir("gonew");
        var result = await GoInstaller.EnsureAsync(new GoToolchainSettings { Version = "1.22", WorkingDirectory = temp.Path, Source = GoSource.Apt }, new RecordingLog(), CancellationToken.None);
        return result.ToGoTool();
    }

    /// <summary>The older format: Debian's golang-go (1.19), which .ci/run installs.</summary>
    private static async Task<GoTool> OldGoAsync()
    {
        foreach (var dir in Directory.GetDirectories("/usr/lib", "go-1.*"))
        {
            var go = Path.Combine(dir, "bin", "go");
            if (!File.Exists(go)) continue;
            var tool = await GoTool.FromExecutableAsync(go, CancellationToken.None);
            if (tool.Version < GoVersion.Parse("1.22.0")) return tool;
        }

        throw new AssertionException("No Go older than 1.22 under /usr/lib (apt-get install golang-go, Debian's Go 1.19).");
    }

    /// <summary>Runs <see cref="Program"/> with the old or new Go; the trace lands in <paramref name="dir"/>/trace.out, and the program says how long it traced.</summary>
    private static async Task<(GoTool Go, string TraceFile, TimeSpan TracedAtMost)> WriteTraceAsync(string which, TempDir temp, string dir)
    {
        var go = which == "old" ? await OldGoAsync() : await NewGoAsync();
        temp.Write("prog/go.mod", "module tracedemo\n\ngo 1.19\n");
        temp.Write("prog/main.go", Program);
        Directory.CreateDirectory(dir);
        var traceFile = Path.Combine(dir, "trace.out");
        var run = (await ProcessRunner.Default.RunAsync(go.Command(["run", ".", traceFile], temp.Combine("prog")), CancellationToken.None)).EnsureSuccess();
        return (go, traceFile, TimeSpan.FromTicks(long.Parse(run.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture) / 100));
    }

    [TestCase("old")]
    [TestCase("new")]
    public async Task A_trace_gets_its_Go_version_from_the_header_and_its_views_from_go_tool_trace(string which)
    {
        using var temp = new TempDir("trace");
        var capture = temp.Combine("capture");
        var (go, traceFile, tracedAtMost) = await WriteTraceAsync(which, temp, capture);

        var header = TraceHeader.Read(traceFile)!;
        Assert.That(header.Version, Is.EqualTo(await RealTools.TraceHeaderVersionAsync(go)));
        Assert.That(header.IsGenerationFormat, Is.EqualTo(which == "new"));

        var host = SampleService.Host();
        var analyzer = new ProfileAnalyzer(host, new GoProfileTools(host, null), callGraphs: false);
        var captured = new CapturedProfile(ProfileKind.Trace, "file", "trace.out", new FileInfo(traceFile).Length, DateTimeOffset.UtcNow, 1000, null);
        var section = await analyzer.AnalyzeTraceAsync(capture, captured, CancellationToken.None);

        TestContext.Out.WriteLine($"read with {section.GoUsed}");
        Assert.That(section.Error, Is.Null);
        Assert.That(section.GoUsed, Is.Not.Null);
        Assert.That(section.Parts.Select(p => p.Kind), Is.EqualTo(GoProfileTools.TraceProfiles));
        Assert.That(section.Parts.Where(p => p.Error is not null).Select(p => p.Error), Is.Empty);
        var sync = section.Parts.Single(p => p.Kind == "sync");
        Assert.That(sync.Total, Is.GreaterThan(0), "eight goroutines contending on one mutex");
        Assert.That(sync.Flame!.Svg, Does.Contain("main.main.func2"));
        Assert.That(section.Parts.Single(p => p.Kind == "net").Total, Is.GreaterThan(0), "the read waits 20 ms for the peer");
        Assert.That(section.Covered, Is.InRange(TimeSpan.FromMilliseconds(300), tracedAtMost), "the trace's own clock spans the 300 ms sleep and no more than the program measured around it");
    }

    [TestCase("old")]
    [TestCase("new")]
    public async Task A_cut_or_foreign_trace_body_gives_no_span_rather_than_a_wrong_one(string which)
    {
        using var temp = new TempDir("tracecut");
        var (_, traceFile, _) = await WriteTraceAsync(which, temp, temp.Path);
        var whole = TraceClock.Span(traceFile);
        var bytes = await File.ReadAllBytesAsync(traceFile);

        var cut = temp.Combine("cut.out");
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length / 2)]);
        var garbage = temp.Combine("garbage.out");
        await File.WriteAllBytesAsync(garbage, [.. bytes[..TraceHeader.Length], .. Enumerable.Repeat((byte)0xff, 64)]);

        Assert.That(whole, Is.Not.Null);
        Assert.That(TraceClock.Span(cut), Is.Null.Or.LessThanOrEqualTo(whole), "half a trace covers at most what the whole one does");
        Assert.That(TraceClock.Span(garbage), Is.Null);
        Assert.That(TraceClock.Span(temp.Write("prog/notes.txt", "not a trace at all")), Is.Null);
    }
}
