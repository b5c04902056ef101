using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>
/// apt's package lists: never fetched or older than a source is detected (against folders laid out as apt lays
/// them out: emptying this machine's own lists would break it), and this machine's real lists answer.
/// </summary>
public class AptListsTests
{
    private static readonly DateTime Updated = new(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Lists_never_fetched_are_reported_with_the_folder()
    {
        using var apt = FakeApt();
        var problem = new AptLists(apt.Combine("etc"), apt.Combine("lists")).Problem();
        Assert.That(problem, Is.EqualTo($"apt's package lists were never fetched ({apt.Combine("lists")} holds none)"));
    }

    [Test]
    public void A_missing_lists_folder_counts_as_never_fetched()
    {
        using var apt = FakeApt();
        Assert.That(new AptLists(apt.Combine("etc"), apt.Combine("nowhere")).Problem(), Does.StartWith("apt's package lists were never fetched"));
    }

    [Test]
    public void Lists_fetched_after_every_source_are_fine()
    {
        using var apt = FakeApt();
        Fetch(apt, Updated);
        Assert.That(new AptLists(apt.Combine("etc"), apt.Combine("lists")).Problem(), Is.Null);
    }

    [Test]
    public void A_source_added_after_the_last_update_is_named()
    {
        using var apt = FakeApt();
        Fetch(apt, Updated);
        var backports = apt.Write("etc/sources.list.d/bookworm-backports.sources", "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\n");
        File.SetLastWriteTimeUtc(backports, Updated.AddMinutes(5));
        // A file apt does not read is no source, however new.
        File.SetLastWriteTimeUtc(apt.Write("etc/sources.list.d/old.list.disabled", "deb http://example.invalid/ x main\n"), Updated.AddHours(1));

        var problem = new AptLists(apt.Combine("etc"), apt.Combine("lists")).Problem();

        Assert.That(problem, Is.EqualTo($"{backports} changed after apt's package lists were last fetched (2026-01-10 12:00:00 UTC)"));
    }

    [Test]
    public void The_classic_sources_list_counts_too()
    {
        using var apt = FakeApt();
        Fetch(apt, Updated);
        var list = apt.Write("etc/sources.list", "deb http://deb.debian.org/debian bookworm main\n");
        File.SetLastWriteTimeUtc(list, Updated.AddSeconds(1));
        Assert.That(new AptLists(apt.Combine("etc"), apt.Combine("lists")).Problem(), Does.StartWith(list + " changed after"));
    }

    [Test]
    public void On_a_machine_whose_lists_were_never_fetched_the_apt_source_says_to_update_them_and_names_the_setting()
    {
        // The real apt-cache answers (this machine's lists are fetched), but the fresh machine's lists are judged:
        // the refusal must name the lists and 'apt-get update', not send the user looking for backports.
        using var apt = FakeApt();
        using var cache = new TempDir("cache");
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, CacheDirectory = cache.Path },
            new RecordingLog(),
            new AptLists(apt.Combine("etc"), apt.Combine("lists")),
            CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"apt: apt's package lists were never fetched ({apt.Combine("lists")} holds none), so apt-cache cannot offer "));
        Assert.That(ex.Message, Does.Contain("run 'apt-get update' (as root) to fetch them"));
        Assert.That(ex.Message, Does.Not.Contain("backports"));
        Assert.That(ex.Hint?.Settings.Select(s => s.Setting), Is.EqualTo(new[] { GoSetting.AptUpdate }), "the fix is the AptUpdate setting, worded by each front end");
    }

    [Test]
    public async Task This_machines_real_lists_are_current_and_offer_debian_go_packages()
    {
        // .ci/run fetched the lists (bookworm and bookworm-backports); the apt source must read them as they are.
        Assert.That(AptLists.System.Problem(), Is.Null);
        var names = await AptPackages.NamesAsync("golang-1.", CancellationToken.None);
        Assert.That(names, Does.Contain("golang-1.19-go"));
        var policy = await AptPackages.PolicyAsync(["golang-go"], CancellationToken.None);
        Assert.That(policy.Single().Candidate, Does.StartWith("1.19"), "Debian 12's golang-go is Go 1.19");
    }

    [Test]
    public void With_the_setting_apt_get_update_runs_before_apt_is_asked()
    {
        // Real apt-get update (this machine's CI runs as root and reaches Debian's mirror); no Go 1.99 exists,
        // so the apt source then says what it offers. The lists are fresh afterwards either way.
        using var cache = new TempDir("cache");
        var log = new RecordingLog();
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, AptUpdate = true, CacheDirectory = cache.Path },
            log,
            CancellationToken.None));

        Assert.That(log.Lines, Has.Some.EqualTo(("info", "Fetching the package lists with apt-get update ...")));
        Assert.That(log.Lines.Where(l => l.Level == "verbose").Select(l => l.Message), Has.Some.Match(@"^(Hit|Get|Ign):\d+ "), "apt-get update's own output");
        Assert.That(ex!.Message, Does.Contain("the newest Go apt offers is golang-1."));
        Assert.That(AptLists.System.Problem(), Is.Null);
    }

    /// <summary>A fresh machine: a deb822 source, and a lists folder holding only what apt creates before any update.</summary>
    private static TempDir FakeApt()
    {
        var apt = new TempDir("apt");
        var source = apt.Write("etc/sources.list.d/debian.sources", "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n");
        File.SetLastWriteTimeUtc(source, Updated.AddDays(-30));
        apt.Write("lists/lock", string.Empty);
        Directory.CreateDirectory(apt.Combine("lists", "partial"));
        return apt;
    }

    /// <summary>What apt-get update leaves: a Release file and a Packages list per source, written at <paramref name="when"/>.</summary>
    private static void Fetch(TempDir apt, DateTime when)
    {
        foreach (var name in new[] { "deb.debian.org_debian_dists_bookworm_InRelease", "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4" })
        {
            File.SetLastWriteTimeUtc(apt.Write("lists/" + name, "x"), when);
        }

        Directory.SetLastWriteTimeUtc(apt.Combine("lists"), when);
    }
}
