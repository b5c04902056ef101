using System.Text.Json;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>The Cake targets through the real ./build.sh on a copy of the sample workspace.</summary>
public sealed partial class ProfileTargetTests
{
    [Test]
    public async Task Profile_without_a_url_starts_the_sample_captures_everything_and_stops_it()
    {
        using var dir = new TempDir("ptarget");
        var workspace = SampleCopy.Workspace(dir.Combine("ws"));
        var run = await BuildScript.RunAsync(["--target=Profile", $"--workspace={workspace}", "--seconds=1", $"--output={dir.Combine("out")}"], TimeSpan.FromMinutes(10));
        Assert.That(run.ExitCode, Is.Zero, run.Output);

        var report = ReportLine().Match(run.Output);
        Assert.That(report.Success, Is.True, run.Output);
        var folder = Path.GetDirectoryName(report.Groups[1].Value.Trim())!;
        Assert.That(folder, Does.StartWith(Path.Combine(dir.Combine("out"), "app")));
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta.json")));
        var profiles = meta.RootElement.GetProperty("profiles").EnumerateArray().ToList();
        Assert.That(profiles.Where(p => p.TryGetProperty("error", out _)), Is.Empty, run.Output);
        Assert.That(profiles.Count(p => p.TryGetProperty("file", out _)), Is.GreaterThanOrEqualTo(8));
        Assert.That(meta.RootElement.GetProperty("malloc").TryGetProperty("calls", out var calls) && calls.GetInt64() > 0, Is.True, "bpftrace ran as root here");
        var port = new Uri(meta.RootElement.GetProperty("url").GetString()!).Port;
        Assert.That(Ports.Accepts(port), Is.False, "the sample was stopped");
    }

    [Test]
    public async Task LeakGate_fails_the_build_on_a_leaking_path()
    {
        using var dir = new TempDir("lgtarget");
        var workspace = SampleCopy.Workspace(dir.Combine("ws"));
        var run = await BuildScript.RunAsync(["--target=LeakGate", $"--workspace={workspace}", "--load=/leak?n=5", "--requests=20", $"--output={dir.Combine("out")}"], TimeSpan.FromMinutes(10));
        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Output, Does.Contain(ProfilingCodes.GoroutineLeak).And.Contain("main.handleLeak.func1").And.Contain("report.html"));
    }

    [GeneratedRegex(@"Report: (\S+report\.html)")]
    private static partial Regex ReportLine();
}
