using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>
/// A fresh machine with no flags, through the real ./build.sh: the apt source fetches apt's lists itself (as root)
/// and says so; --apt-update=false forbids it. Real apt-get update against the Debian registry, into lists of the
/// test's own (APT_CONFIG), so the machine's lists stay as they are.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AptCakeTests
{
    [Test]
    public async Task The_toolchain_step_fetches_a_fresh_machines_lists_itself_and_apt_update_false_forbids_it()
    {
        using var fresh = new FreshApt();
        string[] toolchain = ["--target=Toolchain", "--go-source=apt", "--go-version=1.99", "--plain-output=true"];

        await using var forbidden = await BuildScript.RunAsync([.. toolchain, "--apt-update=false"], TimeSpan.FromMinutes(10), fresh.Environment);
        Assert.That(forbidden.ExitCode, Is.Not.Zero);
        Assert.That(forbidden.Output, Does.Contain($"apt: apt's package lists were never fetched ({fresh.ListsDirectory} holds none), so apt-cache cannot offer go 1.99 or later (from setting); run 'apt-get update' (as root) to fetch them"));
        Assert.That(forbidden.Output, Does.Contain("Fix: pass --apt-update; or: run 'apt-get update' as root."));
        Assert.That(fresh.Fetched, Is.False);

        await using var automatic = await BuildScript.RunAsync(toolchain, TimeSpan.FromMinutes(10), fresh.Environment);
        Assert.That(automatic.ExitCode, Is.Not.Zero, "no Go 1.99 exists");
        Assert.That(automatic.Output, Does.Contain($"Apt's package lists were never fetched ({fresh.ListsDirectory} holds none): running 'apt-get update' first (pass --apt-update=false to forbid it) ..."));
        Assert.That(automatic.Output, Does.Contain("apt: the newest Go apt offers is golang-1."), "it went on with the lists it fetched");
        Assert.That(fresh.Fetched, Is.True);
    }

    [Test]
    public async Task The_delve_step_on_a_fresh_machine_fetches_the_lists_then_installs_delve()
    {
        using var fresh = new FreshApt();
        await using var run = await BuildScript.RunAsync(["--target=Delve", "--dlv-source=apt", "--plain-output=true"], TimeSpan.FromMinutes(10), fresh.Environment);

        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var update = run.Output.IndexOf($"Apt's package lists were never fetched ({fresh.ListsDirectory} holds none): running 'apt-get update' first (pass --apt-update=false to forbid it) ...", StringComparison.Ordinal);
        var install = run.Output.IndexOf("Installing delve with apt-get ...", StringComparison.Ordinal);
        Assert.That(update, Is.GreaterThanOrEqualTo(0), run.Output);
        Assert.That(install, Is.GreaterThan(update), run.Output);
        Assert.That(run.Output, Does.Contain("dlv: /usr/bin/dlv ("));
    }
}
