using System.Formats.Tar;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

// The archives carry a POSIX shell script as go/bin/go.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class GoInstallerDownloadTests
{
    private const string Version = "1.99.1";

    [Test]
    public async Task Download_installs_a_verified_archive_then_the_next_call_uses_the_cache_without_http()
    {
        using var cache = new TempDir("cache");
        await using var server = new FakeGoDownloadServer();
        var body = FakeGoDownloadServer.GoArchive(Version);
        server.AddRelease(Version, body);
        var settings = Settings(server, cache) with { Version = "1.99", Source = GoSource.Auto, PlainOutput = true };
        var log = new RecordingLog();

        var first = await GoInstaller.EnsureAsync(settings, log, CancellationToken.None);

        var expectedGo = cache.Combine("go", Version, "go", "bin", "go");
        Assert.That((first.Source, first.Version.ToString(), first.GoExecutable, first.GoRoot), Is.EqualTo((GoSource.Download, Version, expectedGo, cache.Combine("go", Version, "go"))));
        Assert.That(File.GetUnixFileMode(expectedGo) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
        Assert.That(first.Environment["GOTOOLCHAIN"], Is.EqualTo("local"));
        Assert.That(first.Environment["PATH"]!.Split(':')[0], Is.EqualTo(cache.Combine("go", Version, "go", "bin")));
        Assert.That(log.Text, Does.Contain($"go version go{Version} linux/amd64"));
        Assert.That(log.Text, Does.Contain($"GOROOT={cache.Combine("go", Version, "go")}"));
        var progress = log.Lines.Where(l => l.Message.Contains($"of {Grouped(body.Length)} bytes", StringComparison.Ordinal)).ToList();
        Assert.That(progress, Has.Count.InRange(1, 21), "progress shows bytes of total without spamming");
        Assert.That(progress[^1].Message, Does.Contain($"{Grouped(body.Length)} of {Grouped(body.Length)} bytes (100%)"));
        Assert.That(Leftovers(cache), Is.Empty);

        var second = await GoInstaller.EnsureAsync(settings, new RecordingLog(), CancellationToken.None);
        Assert.That((second.Source, second.GoExecutable), Is.EqualTo((GoSource.Cache, expectedGo)));
        Assert.That((server.IndexRequests, server.ArchiveRequests), Is.EqualTo((1, 1)), "the cached install needs no HTTP");
    }

    [Test]
    public async Task Sha256_mismatch_fails_naming_the_url_and_leaves_nothing()
    {
        var (message, url) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version), sha256: new string('a', 64)));
        Assert.That(message, Does.Contain("Checksum mismatch").And.Contain(url));
    }

    [Test]
    public async Task Truncated_body_fails_naming_the_url_and_leaves_nothing()
    {
        var (message, url) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version), delivery: Delivery.Truncated));
        Assert.That(message, Does.Contain("truncated").And.Contain(url));
    }

    [Test]
    public async Task Http_404_fails_naming_the_url_and_leaves_nothing()
    {
        var (message, url) = await InstallFailureAsync(server => server.AddRelease(Version, body: null));
        Assert.That(message, Does.Contain("HTTP 404").And.Contain(url));
    }

    [Test]
    public async Task A_file_that_cannot_be_written_is_not_blamed_on_the_connection()
    {
        using var dir = new TempDir("dest");
        await using var server = new FakeGoDownloadServer();
        var url = $"{server.BaseUrl}/dl/{server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version))}";
        var taken = dir.Write("taken.tar.gz", "already here\n");

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoDownloader.DownloadVerifiedAsync(url, taken, new string('0', 64), plainOutput: true, new RecordingLog(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"cannot write {taken}").And.Not.Contain("connection"));
    }

    [Test]
    public async Task Archive_entry_escaping_with_dot_dot_is_refused_and_nothing_is_written()
    {
        // Extracted from <cache>/go/.<temp>/, this entry would land at <cache>/go/evil.txt, which the leftover check covers.
        var (message, _) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version, tar =>
            tar.WriteEntry(FakeGoDownloadServer.File("go/../../evil.txt", "owned\n", 0x1A4)))));
        Assert.That(message, Does.Contain("'go/../../evil.txt' points outside"));
    }

    [Test]
    public async Task Archive_with_an_absolute_entry_is_refused()
    {
        using var elsewhere = new TempDir("outside");
        var outside = elsewhere.Combine("absolute.txt");
        var (message, _) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version, tar =>
            tar.WriteEntry(FakeGoDownloadServer.File(outside, "owned\n", 0x1A4)))));
        Assert.That(message, Does.Contain("points outside"));
        Assert.That(File.Exists(outside), Is.False);
    }

    [Test]
    public async Task Symlink_pointing_out_of_the_archive_is_refused()
    {
        var (message, _) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version, tar =>
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "go/bin/escape") { LinkName = "../../../../etc/passwd" }))));
        Assert.That(message, Does.Contain("'go/bin/escape -> ../../../../etc/passwd' points outside"));
    }

    [Test]
    public async Task Hard_link_to_a_file_outside_the_archive_is_refused()
    {
        var (message, _) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version, tar =>
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "go/bin/hard") { LinkName = "../etc/shadow" }))));
        Assert.That(message, Does.Contain("'go/bin/hard => ../etc/shadow' points outside"));
    }

    [Test]
    public async Task Writing_through_a_link_the_archive_made_is_refused()
    {
        var (message, _) = await InstallFailureAsync(server => server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version, tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "go/up") { LinkName = ".." });
            tar.WriteEntry(FakeGoDownloadServer.File("go/up/x", "x\n", 0x1A4));
        })));
        Assert.That(message, Does.Contain("'go/up/x' is written through the link"));
    }

    [Test]
    public async Task Two_concurrent_installs_of_one_version_download_once()
    {
        using var cache = new TempDir("cache");
        await using var server = new FakeGoDownloadServer { HoldArchivesUntilIndexRequests = 2 };
        server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version));
        var settings = Settings(server, cache);

        var results = await Task.WhenAll(
            Task.Run(() => GoInstaller.EnsureAsync(settings, new RecordingLog(), CancellationToken.None)),
            Task.Run(() => GoInstaller.EnsureAsync(settings, new RecordingLog(), CancellationToken.None)));

        Assert.That(server.IndexRequests, Is.EqualTo(2), "both callers were past the index before the archive was served");
        Assert.That(server.ArchiveRequests, Is.EqualTo(1));
        Assert.That(results.Select(r => r.GoExecutable).Distinct(), Is.EqualTo(new[] { cache.Combine("go", Version, "go", "bin", "go") }));
        Assert.That(Leftovers(cache), Is.Empty);
    }

    [Test]
    public async Task Cancellation_mid_download_leaves_no_version_dir_and_no_temp()
    {
        using var cache = new TempDir("cache");
        await using var server = new FakeGoDownloadServer();
        server.AddRelease(Version, FakeGoDownloadServer.GoArchive(Version, tar => tar.WriteEntry(FakeGoDownloadServer.File("go/pad", new string('p', 200_000), 0x1A4))), delivery: Delivery.StallAfterHalf);
        using var cts = new CancellationTokenSource();

        var install = GoInstaller.EnsureAsync(Settings(server, cache), new RecordingLog(), cts.Token);
        await server.StallReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        Assert.That(async () => await install, Throws.InstanceOf<OperationCanceledException>());
        AssertNothingInstalled(cache);
    }

    [Test]
    public async Task Unreachable_sources_give_one_error_listing_what_each_said()
    {
        using var cache = new TempDir("cache");
        await using var server = new FakeGoDownloadServer();
        var settings = Settings(server, cache) with { Source = GoSource.Auto, Version = "1.99", DownloadBaseUrl = server.BaseUrl + "/missing" };

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(settings, new RecordingLog(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("go 1.99 or later (from setting)"));
        Assert.That(ex.Message, Does.Contain("- cache: nothing installed under " + cache.Combine("go")));
        Assert.That(ex.Message, Does.Contain("- path: "));
        Assert.That(ex.Message, Does.Contain($"- download: Download of {server.BaseUrl}/missing/dl/?mode=json&include=all failed: HTTP 404"));
        Assert.That(ex.Message, Does.Contain("- apt: "));
    }

    /// <summary>Runs a forced download that must fail; returns its message and the archive URL, after checking the cache is clean.</summary>
    private static async Task<(string Message, string ArchiveUrl)> InstallFailureAsync(Func<FakeGoDownloadServer, string> addRelease)
    {
        using var cache = new TempDir("cache");
        await using var server = new FakeGoDownloadServer();
        var file = addRelease(server);
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(Settings(server, cache), new RecordingLog(), CancellationToken.None));
        AssertNothingInstalled(cache);
        return (ex!.Message, $"{server.BaseUrl}/dl/{file}");
    }

    private static string Grouped(long bytes) => bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static GoToolchainSettings Settings(FakeGoDownloadServer server, TempDir cache) => new()
    {
        Version = Version,
        Source = GoSource.Download,
        CacheDirectory = cache.Path,
        DownloadBaseUrl = server.BaseUrl,
        PlainOutput = true,
    };

    /// <summary>Everything in the cache's go folder except the (empty, reusable) per-version lock files.</summary>
    private static IEnumerable<string> Leftovers(TempDir cache)
    {
        var go = cache.Combine("go");
        return Directory.Exists(go)
            ? Directory.EnumerateFileSystemEntries(go).Where(p => !p.EndsWith(".lock", StringComparison.Ordinal) && Path.GetFileName(p) != Version)
            : [];
    }

    private static void AssertNothingInstalled(TempDir cache)
    {
        var go = cache.Combine("go");
        var entries = Directory.Exists(go) ? Directory.EnumerateFileSystemEntries(go).Select(Path.GetFileName).ToList() : [];
        Assert.That(entries, Is.SubsetOf(new[] { Version + ".lock" }), "no version folder, no temp download, no temp extraction");
    }
}
