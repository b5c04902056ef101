using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>
/// apt's package lists: never fetched or older than a source is detected (against folders laid out as apt lays
/// them out), this machine's real lists answer, and a fresh machine's apt (the test's own empty lists, through
/// APT_CONFIG: emptying this machine's lists would break it) is updated, or not, as AptUpdate and root decide.
/// </summary>
public class AptListsTests
{
    private static readonly DateTime Updated = new(2026, 1, 10, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Lists_never_fetched_are_reported_with_the_folder()
    {
        using var apt = FakeApt();
        var problem = Lists(apt).Problem();
        Assert.That(problem, Is.EqualTo($"apt's package lists were never fetched ({apt.Combine("lists")} holds none)"));
    }

    [Test]
    public void A_missing_lists_folder_counts_as_never_fetched()
    {
        using var apt = FakeApt();
        Assert.That(new AptLists(apt.Combine("etc", "sources.list"), apt.Combine("etc", "sources.list.d"), apt.Combine("nowhere")).Problem(), Does.StartWith("apt's package lists were never fetched"));
    }

    [Test]
    public void Lists_fetched_after_every_source_are_fine()
    {
        using var apt = FakeApt();
        Fetch(apt, Updated);
        Assert.That(Lists(apt).Problem(), Is.Null);
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

        var problem = Lists(apt).Problem();

        Assert.That(problem, Is.EqualTo($"{backports} changed after apt's package lists were last fetched (2026-01-10 12:00:00 UTC)"));
    }

    [Test]
    public void The_classic_sources_list_counts_too()
    {
        using var apt = FakeApt();
        Fetch(apt, Updated);
        var list = apt.Write("etc/sources.list", "deb http://deb.debian.org/debian bookworm main\n");
        File.SetLastWriteTimeUtc(list, Updated.AddSeconds(1));
        Assert.That(Lists(apt).Problem(), Does.StartWith(list + " changed after"));
    }

    private static AptLists Lists(TempDir apt) => new(apt.Combine("etc", "sources.list"), apt.Combine("etc", "sources.list.d"), apt.Combine("lists"));

    [Test]
    public async Task Apt_config_says_where_this_steps_apt_keeps_its_lists()
    {
        using var fresh = new FreshApt();
        var configured = await AptLists.ReadAsync(fresh.Host(new RecordingLog()), CancellationToken.None);
        Assert.That(configured.ListsDirectory, Is.EqualTo(fresh.ListsDirectory), "APT_CONFIG reaches apt-config");
        Assert.That(configured.Problem(), Is.EqualTo($"apt's package lists were never fetched ({fresh.ListsDirectory} holds none)"));
        var machine = await AptLists.ReadAsync(GoDebugHost.Create(new RecordingLog()), CancellationToken.None);
        Assert.That(machine.ListsDirectory, Is.EqualTo("/var/lib/apt/lists"));
    }

    [Test]
    public async Task This_machines_real_lists_are_current_and_offer_debian_go_packages()
    {
        // .ci/run fetched the lists (bookworm and bookworm-backports); the apt source must read them as they are.
        var apt = (await AptPackages.OpenAsync(GoDebugHost.Create(new RecordingLog()), CancellationToken.None))!;
        Assert.That(apt.Lists.Problem(), Is.Null);
        var names = await apt.NamesAsync("golang-1.", CancellationToken.None);
        Assert.That(names, Does.Contain("golang-1.19-go"));
        var policy = await apt.PolicyAsync(["golang-go"], CancellationToken.None);
        Assert.That(policy.Single().Candidate, Does.StartWith("1.19"), "Debian 12's golang-go is Go 1.19");
    }

    [Test]
    public async Task As_root_with_lists_never_fetched_the_apt_source_fetches_them_says_so_in_one_line_and_goes_on()
    {
        // A fresh machine's apt (real apt-get update against the Debian registry, into the test's own lists); no Go 1.99
        // exists, so once the lists are there the apt source says what it offers: proof it went on with them.
        Assert.That(Environment.IsPrivilegedProcess, Is.True, "this machine's tests run as root, as CI does");
        using var fresh = new FreshApt();
        using var cache = new TempDir("cache");
        var machineLists = Directory.GetLastWriteTimeUtc("/var/lib/apt/lists");
        var log = new RecordingLog();

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, CacheDirectory = cache.Path }, fresh.Host(log), null, null, CancellationToken.None));

        var said = log.Lines.Where(l => l.Message.Contains("apt-get update", StringComparison.Ordinal) && l.Level == "info").Select(l => l.Message).ToList();
        Assert.That(said, Is.EqualTo(new[] { $"Apt's package lists were never fetched ({fresh.ListsDirectory} holds none): running 'apt-get update' first (set AptUpdate=false to forbid it) ..." }));
        Assert.That(log.Lines.Where(l => l.Level == "verbose").Select(l => l.Message), Has.Some.Match(@"^(Hit|Get|Ign):\d+ "), "apt-get update's own output");
        Assert.That(fresh.Fetched, Is.True);
        Assert.That(ex!.Message, Does.Contain("apt: the newest Go apt offers is golang-1."));
        Assert.That(ex.Hint, Is.Null, "the lists are current now; nothing to fetch");
        Assert.That(Directory.GetLastWriteTimeUtc("/var/lib/apt/lists"), Is.EqualTo(machineLists), "the machine's own lists are untouched");
    }

    [Test]
    public void With_apt_update_false_nothing_is_fetched_and_the_refusal_says_to_update_and_names_the_setting()
    {
        using var fresh = new FreshApt();
        using var cache = new TempDir("cache");
        var log = new RecordingLog();

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, AptUpdate = false, CacheDirectory = cache.Path }, fresh.Host(log), null, null, CancellationToken.None));

        AssertToldToUpdate(ex!, fresh);
        Assert.That(fresh.Fetched, Is.False);
        Assert.That(log.Text, Does.Not.Contain("running 'apt-get update'"));
    }

    [Test]
    public async Task Not_root_nothing_is_fetched_and_the_refusal_says_to_update()
    {
        // The real apt of a fresh machine, seen by a process that may not install (it is asked as such).
        using var fresh = new FreshApt();
        using var cache = new TempDir("cache");
        var log = new RecordingLog();
        var host = fresh.Host(log);
        var unprivileged = new AptPackages(host, await AptLists.ReadAsync(host, CancellationToken.None), "/usr/bin/apt-get", privileged: false);

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, CacheDirectory = cache.Path }, host, null, unprivileged, CancellationToken.None));

        AssertToldToUpdate(ex!, fresh);
        Assert.That(fresh.Fetched, Is.False);
        Assert.That(log.Text, Does.Not.Contain("running 'apt-get update'"));
    }

    private static void AssertToldToUpdate(GoDebugException ex, FreshApt fresh)
    {
        Assert.That(ex.Message, Does.Contain($"apt: apt's package lists were never fetched ({fresh.ListsDirectory} holds none), so apt-cache cannot offer go 1.99 or later (from setting); run 'apt-get update' (as root) to fetch them"));
        Assert.That(ex.Message, Does.Not.Contain("backports"));
        Assert.That(ex.Hint?.Settings.Select(s => s.Setting), Is.EqualTo(new[] { GoSetting.AptUpdate }), "the fix is the AptUpdate setting, worded by each front end");
    }

    [Test]
    public void With_apt_update_true_apt_get_update_runs_before_apt_is_asked_even_when_the_lists_are_fresh()
    {
        using var fresh = new FreshApt();
        using var cache = new TempDir("cache");
        var settings = new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, AptUpdate = true, CacheDirectory = cache.Path };
        Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(settings, fresh.Host(new RecordingLog()), null, null, CancellationToken.None));
        Assert.That(fresh.Fetched, Is.True);

        var log = new RecordingLog();
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(settings, fresh.Host(log), null, null, CancellationToken.None));
        Assert.That(log.Lines, Has.Some.EqualTo(("info", "Fetching the package lists with apt-get update ...")));
        Assert.That(ex!.Message, Does.Contain("the newest Go apt offers is golang-1."));
    }

    [Test]
    public async Task Delve_from_apt_on_a_fresh_machine_fetches_the_lists_first_then_installs()
    {
        using var fresh = new FreshApt();
        using var cache = new TempDir("cache");
        var log = new RecordingLog();

        var go = await RealTools.GoAsync();
        var dlv = await DelveInstaller.EnsureAsync(new DelveSettings { Source = DelveSource.Apt, CacheDirectory = cache.Path }, go, fresh.Host(log), CancellationToken.None);

        Assert.That((dlv.DlvExecutable, dlv.Source), Is.EqualTo(("/usr/bin/dlv", DelveSource.Apt)));
        var infos = log.Lines.Where(l => l.Level == "info").Select(l => l.Message).ToList();
        Assert.That(infos.Take(2), Is.EqualTo(new[]
        {
            $"Apt's package lists were never fetched ({fresh.ListsDirectory} holds none): running 'apt-get update' first (set AptUpdate=false to forbid it) ...",
            "Installing delve with apt-get ...",
        }));
        Assert.That(fresh.Fetched, Is.True);

        using var forbidden = new FreshApt();
        var ex = Assert.ThrowsAsync<GoDebugException>(() => DelveInstaller.EnsureAsync(new DelveSettings { Source = DelveSource.Apt, AptUpdate = false, CacheDirectory = cache.Path }, go, forbidden.Host(new RecordingLog()), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain($"apt: apt's package lists were never fetched ({forbidden.ListsDirectory} holds none), so apt-get cannot install delve; run 'apt-get update' (as root) to fetch them"));
    }

    /// <summary>A fresh machine's folders: a deb822 source, and a lists folder holding only what apt creates before any update.</summary>
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
