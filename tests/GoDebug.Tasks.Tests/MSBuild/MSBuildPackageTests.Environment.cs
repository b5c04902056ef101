using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Tests.MSBuild;

/// <summary>
/// MSBuild skips GoBuild exactly when the build engine would: the environment the engine fingerprints
/// (CGO_ENABLED, GOFLAGS, ...) is part of the settings record that GoBuild's Inputs compare.
/// Runs after the steps in MSBuildPackageTests.cs, on the same copy of the sample.
/// </summary>
public sealed partial class MSBuildPackageTests
{
    private const string SkippedGoBuild = "Skipping target \"GoBuild\" because all output files are up-to-date";

    [Test]
    [Order(10)]
    public async Task Flipping_CGO_ENABLED_rebuilds_and_flipping_it_back_rebuilds_again()
    {
        await BuildWithAsync([]);
        var plain = BinaryTimes();

        var noCgo = await BuildWithAsync(new() { ["CGO_ENABLED"] = "0" });
        Assert.That(noCgo.StandardOutput, Does.Not.Contain(SkippedGoBuild));
        var afterNoCgo = BinaryTimes();
        Assert.That(afterNoCgo["svc"], Is.GreaterThan(plain["svc"]), "the CGO_ENABLED=0 build must relink");

        // The stale skip this guards against: a plain build after CGO_ENABLED=0 kept the CGO_ENABLED=0 binary.
        var back = await BuildWithAsync([]);
        Assert.That(back.StandardOutput, Does.Not.Contain(SkippedGoBuild));
        Assert.That(BinaryTimes()["svc"], Is.GreaterThan(afterNoCgo["svc"]), "the plain build must relink with cgo again");
    }

    [Test]
    [Order(11)]
    public async Task Changing_GOFLAGS_rebuilds_and_the_same_GOFLAGS_again_skips()
    {
        var before = BinaryTimes();
        var tagged = new Dictionary<string, string?> { ["GOFLAGS"] = "-tags=gdt_msbuild_test" };

        var changed = await BuildWithAsync(tagged);
        Assert.That(changed.StandardOutput, Does.Not.Contain(SkippedGoBuild));
        var after = BinaryTimes();
        Assert.That(after["svc"], Is.GreaterThan(before["svc"]));

        var same = await BuildWithAsync(tagged);
        Assert.That(same.StandardOutput, Does.Contain(SkippedGoBuild));
        Assert.That(BinaryTimes(), Is.EqualTo(after));
    }

    [Test]
    [Order(12)]
    public async Task An_identical_plain_build_after_a_plain_build_still_skips()
    {
        await BuildWithAsync([]);
        var before = BinaryTimes();

        var again = await BuildWithAsync([]);

        Assert.That(again.StandardOutput, Does.Contain(SkippedGoBuild));
        Assert.That(BinaryTimes(), Is.EqualTo(before));
    }

    private async Task<ProcessResult> BuildWithAsync(Dictionary<string, string?> environment)
    {
        var build = await DotnetAsync(environment, _sample, "build", HelloProject, "-v:n", $"-p:GoDebugTasksVersion={_version}");
        Assert.That(build.Succeeded, Is.True, build.StandardOutput);
        return build;
    }
}
