using System.IO.Compression;
using Google.Protobuf;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Profiling.Proto;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

public class ProfileDiffTests
{
    /// <summary>A CPU profile where each function burns the given nanoseconds under main.main.</summary>
    private static void WriteCpuProfile(string dir, params (string Function, long Nanos)[] functions)
    {
        var p = new Profile();
        p.StringTable.Add(string.Empty);
        long Str(string s)
        {
            p.StringTable.Add(s);
            return p.StringTable.Count - 1;
        }

        p.SampleType.Add(new GoDebug.Tasks.Profiling.Proto.ValueType { Type = Str("samples"), Unit = Str("count") });
        p.SampleType.Add(new GoDebug.Tasks.Profiling.Proto.ValueType { Type = Str("cpu"), Unit = Str("nanoseconds") });
        p.Function.Add(new Function { Id = 1, Name = Str("main.main") });
        p.Location.Add(new Location { Id = 1, Line = { new Line { FunctionId = 1 } } });
        ulong id = 2;
        foreach (var (name, nanos) in functions)
        {
            p.Function.Add(new Function { Id = id, Name = Str(name) });
            p.Location.Add(new Location { Id = id, Line = { new Line { FunctionId = id } } });
            p.Sample.Add(new Sample { LocationId = { id, 1 }, Value = { nanos / 10_000_000, nanos } });
            id++;
        }

        Directory.CreateDirectory(dir);
        using var file = File.Create(Path.Combine(dir, ProfileKinds.FileName(ProfileKind.Cpu)));
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        p.WriteTo(gz);
    }

    [Test]
    public async Task A_function_whose_CPU_share_grew_past_the_threshold_fails_the_diff()
    {
        using var temp = new TempDir("diff");
        WriteCpuProfile(temp.Combine("base"), ("main.fast", 900_000_000), ("main.slow", 100_000_000));
        WriteCpuProfile(temp.Combine("head"), ("main.fast", 600_000_000), ("main.slow", 400_000_000));
        var settings = new ProfileDiffSettings { BaseDirectory = temp.Combine("base"), HeadDirectory = temp.Combine("head"), OutputDirectory = temp.Combine("out") };

        var failed = await ProfileDiff.RunAsync(settings, SampleService.Host(), CancellationToken.None);
        Assert.That(failed.Passed, Is.False);
        var regression = failed.Comparison.Regressions.Single();
        Assert.That(regression.Function, Is.EqualTo("main.slow"));
        Assert.That(regression.BaseShare, Is.EqualTo(10).Within(0.001));
        Assert.That(regression.HeadShare, Is.EqualTo(40).Within(0.001));
        Assert.That(failed.Message, Does.Contain(ProfilingCodes.Regression).And.Contain("main.slow").And.Contain("10%").And.Contain("40%"));
        var report = await File.ReadAllTextAsync(failed.ReportPath);
        Assert.That(report, Does.Contain("Share regressions").And.Contain("main.slow").And.Contain("class=\"flamegraph\""));

        var passed = await ProfileDiff.RunAsync(settings with { RegressionThreshold = 50 }, SampleService.Host(), CancellationToken.None);
        Assert.That(passed.Passed, Is.True, passed.Message);
        Assert.That(passed.ReportPath, Is.Not.EqualTo(failed.ReportPath), "each diff gets its own folder");
    }

    [Test]
    public void A_missing_capture_folder_is_named()
    {
        using var temp = new TempDir("diffmiss");
        var settings = new ProfileDiffSettings { BaseDirectory = temp.Combine("nope"), HeadDirectory = temp.Path, OutputDirectory = temp.Combine("out") };
        var ex = Assert.ThrowsAsync<GoDebug.Tasks.Diagnostics.GoDebugException>(() => ProfileDiff.RunAsync(settings, SampleService.Host(), CancellationToken.None));
        Assert.That(ex!.Message, Does.StartWith(ProfilingCodes.MissingCapture).And.Contain(temp.Combine("nope")));
        Assert.That(Directory.Exists(temp.Combine("out")), Is.False, "nothing written");
    }
}
