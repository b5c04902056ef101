using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>
/// The GoCaptureProfiles target run by real MSBuild (`dotnet msbuild -t:GoCaptureProfiles`) from the shipped
/// props/targets, with the task assembly this test run built, against the running sample.
/// </summary>
public class GoCaptureProfilesTargetTests
{
    private static Task<ProcessResult> MSBuildAsync(TempDir temp, params string[] properties)
        => TargetsProject.RunAsync(temp.Path, "GoCaptureProfiles", [$"GoProfileUrl={SampleService.BaseUrl}", $"GoProfileOutput={temp.Combine("out")}", .. properties]);

    [Test]
    public async Task Captures_the_chosen_profiles_into_a_report()
    {
        using var temp = new TempDir("msb");
        var result = await MSBuildAsync(temp, "GoProfiles=heap%3Bgoroutine%3Bcpu", "GoProfileSeconds=1");
        Assert.That(result.ExitCode, Is.Zero, result.StandardOutput);
        var dirs = Directory.GetDirectories(temp.Combine("out"), "*", SearchOption.AllDirectories).Where(d => File.Exists(Path.Combine(d, "report.html"))).ToList();
        Assert.That(dirs, Has.Count.EqualTo(1));
        Assert.That(Directory.GetFiles(dirs[0], "*.pb.gz").Select(Path.GetFileName), Is.EquivalentTo(new[] { "heap.pb.gz", "goroutine.pb.gz", "profile.pb.gz" }));
        Assert.That(PprofProfile.Load(Path.Combine(dirs[0], "profile.pb.gz")).SampleTypes.Select(t => t.Type), Does.Contain("cpu"));
    }

    [Test]
    public async Task As_a_leak_gate_it_fails_the_build_naming_the_leak()
    {
        using var temp = new TempDir("msbleak");
        var result = await MSBuildAsync(temp, "GoProfileLoadPath=/leak?n=3", "GoProfileRequests=20");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StandardOutput, Does.Contain("error").And.Contain(ProfilingCodes.GoroutineLeak).And.Contain("main.handleLeak.func1"));
    }

    [Test]
    public async Task A_bad_size_names_the_property()
    {
        using var temp = new TempDir("msbsize");
        var result = await MSBuildAsync(temp, "GoProfileLoadPath=/hello", "GoProfileMaxHeapGrowth=lots");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StandardOutput, Does.Contain("GoProfileMaxHeapGrowth 'lots' is not a size"));
        Assert.That(Directory.Exists(temp.Combine("out")), Is.False, "nothing captured before the input was checked");
    }
}
