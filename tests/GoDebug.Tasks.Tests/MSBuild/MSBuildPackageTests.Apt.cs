namespace GoDebug.Tasks.Tests.MSBuild;

/// <summary>GoAptUpdate reaches the toolchain engine through the packed targets.</summary>
public sealed partial class MSBuildPackageTests
{
    [Test]
    [Order(13)]
    public async Task GoAptUpdate_runs_apt_get_update_before_the_apt_source_looks_for_go()
    {
        // Real apt-get update (CI runs as root and reaches Debian's mirror); no Go 1.99 exists, so the target then fails
        // saying what apt offers.
        var build = await DotnetAsync(
            _sample, "build", HelloProject, "-v:n", "-t:GoEnsureToolchain", "-p:GoSource=apt", "-p:GoVersion=1.99", "-p:GoAptUpdate=true", $"-p:GoDebugTasksVersion={_version}");

        Assert.That(build.Succeeded, Is.False, build.StandardOutput);
        Assert.That(build.StandardOutput, Does.Contain("Fetching the package lists with apt-get update ..."));
        Assert.That(build.StandardOutput, Does.Contain("the newest Go apt offers is golang-1."));
    }
}
