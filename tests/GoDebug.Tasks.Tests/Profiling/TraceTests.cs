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
        	trace.Stop()
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

    [TestCase("old")]
    [TestCase("new")]
    public async Task A_trace_gets_its_Go_version_from_the_header_and_its_views_from_go_tool_trace(string which)
    {
        var go = which == "old" ? await OldGoAsync() : await NewGoAsync();
        using var temp = new TempDir("trace");
        temp.Write("prog/go.mod", "module tracedemo\n\ngo 1.19\n");
        temp.Write("prog/main.go", Program);
        var capture = temp.Combine("capture");
        Directory.CreateDirectory(capture);
        var traceFile = Path.Combine(capture, "trace.out");
        (await ProcessRunner.Default.RunAsync(go.Command(["run", ".", traceFile], temp.Combine("prog")), CancellationToken.None)).EnsureSuccess();

        var header = TraceHeader.Read(traceFile)!;
        Assert.That(header.Version, Is.EqualTo($"{go.Version.Major}.{go.Version.Minor}"));
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
    }
}
