using GoDebug.Tasks.Tests.Toolchain;

namespace GoDebug.Tasks.Tests.MSBuild;

/// <summary>GoAptUpdate reaches the toolchain and Delve engines through the packed targets, on a fresh machine's apt.</summary>
public sealed partial class MSBuildPackageTests
{
    [Test]
    [Order(13)]
    public async Task On_a_fresh_machine_the_apt_source_fetches_the_lists_itself_unless_GoAptUpdate_is_false()
    {
        // Real apt-get update (CI runs as root and reaches Debian's registry) into the test's own empty lists; no Go 1.99
        // exists, so the target then fails saying what apt offers: it went on with the lists it fetched.
        using var fresh = new FreshApt();
        var environment = fresh.Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        string[] go = ["build", HelloProject, "-v:n", "-t:GoEnsureToolchain", "-p:GoSource=apt", "-p:GoVersion=1.99", $"-p:GoDebugTasksVersion={_version}"];

        var forbidden = await DotnetAsync(environment, _sample, [.. go, "-p:GoAptUpdate=false"]);
        Assert.That(forbidden.Succeeded, Is.False, forbidden.StandardOutput);
        Assert.That(forbidden.StandardOutput, Does.Contain($"apt: apt's package lists were never fetched ({fresh.ListsDirectory} holds none)"));
        Assert.That(forbidden.StandardOutput, Does.Contain("set <GoAptUpdate>true</GoAptUpdate>"), "the hint in MSBuild's words");
        Assert.That(fresh.Fetched, Is.False);

        var automatic = await DotnetAsync(environment, _sample, go);
        Assert.That(automatic.Succeeded, Is.False, automatic.StandardOutput);
        Assert.That(automatic.StandardOutput, Does.Contain($"Apt's package lists were never fetched ({fresh.ListsDirectory} holds none): running 'apt-get update' first (set <GoAptUpdate>false</GoAptUpdate> to forbid it) ..."));
        Assert.That(automatic.StandardOutput, Does.Contain("the newest Go apt offers is golang-1."));
        Assert.That(fresh.Fetched, Is.True);

        var always = await DotnetAsync(environment, _sample, [.. go, "-p:GoAptUpdate=true"]);
        Assert.That(always.StandardOutput, Does.Contain("Fetching the package lists with apt-get update ..."));

        var wrong = await DotnetAsync(environment, _sample, [.. go, "-p:GoAptUpdate=yes"]);
        Assert.That(wrong.StandardOutput, Does.Contain("GoAptUpdate='yes' is neither true nor false"));
    }
}
