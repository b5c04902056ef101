using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>The sources that need no network: our cache, and Debian's packages as this machine has them.</summary>
public class GoInstallerLocalSourcesTests
{
    [Test]
    public async Task Apt_uses_an_installed_debian_go_without_installing()
    {
        // What dpkg says is installed decides the answer: the newest golang-1.N-go, asked for by its own go line. The go
        // first on PATH may not be a Debian package at all (CI's newest Go is unpacked from another release).
        var newest = (await InstalledDebianGoPackagesAsync()).MaxBy(p => p.Language);
        Assert.That(newest.Package, Is.Not.Null, "dpkg lists no installed golang-1.N-go; .ci/run installs golang-1.19-go");
        using var cache = new TempDir("cache");
        using var work = new TempDir("work");
        var goWork = work.Write("go.work", $"go {newest.Language}\n");
        var log = new RecordingLog();
        var result = await GoInstaller.EnsureAsync(
            new GoToolchainSettings { WorkingDirectory = work.Path, Source = GoSource.Apt, CacheDirectory = cache.Path },
            log,
            CancellationToken.None);

        Assert.That((result.Source, result.Version.ToString()), Is.EqualTo((GoSource.Apt, newest.Upstream)));
        Assert.That(result.GoRoot, Is.EqualTo($"/usr/lib/go-{newest.Language}"));
        Assert.That(log.Text, Does.Contain($"GOWORK={goWork}"), "go env runs in the workspace");
        Assert.That(log.Text, Does.Not.Contain("with apt-get"), "an installed package needs no install");
    }

    /// <summary>The golang-1.N-go packages dpkg has installed: name, language version, upstream version.</summary>
    private static async Task<List<(string Package, GoVersion Language, string Upstream)>> InstalledDebianGoPackagesAsync()
    {
        var listed = await ProcessRunner.Default.RunAsync("dpkg-query", ["-W", "-f=${Package}\t${db:Status-Abbrev}\t${Version}\n", "golang-1.*-go"], null, CancellationToken.None);
        return listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length == 3 && f[1].StartsWith("ii", StringComparison.Ordinal))
            .Select(f => (Package: f[0], Language: GoVersion.Parse(f[0]["golang-".Length..^"-go".Length]), Upstream: AptPackages.Upstream(f[2])!))
            .ToList();
    }

    [Test]
    public async Task Apt_without_a_new_enough_package_says_what_it_offers_and_how_to_enable_backports()
    {
        using var cache = new TempDir("cache");
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", Source = GoSource.Apt, CacheDirectory = cache.Path },
            new RecordingLog(),
            CancellationToken.None));

        Assert.That(ex!.Message, Does.Match(@"the newest Go apt offers is golang-1\.\d+-go \(go 1\.\d+"));
        Assert.That(ex.Message, Does.Contain("-backports").And.Contain("apt-get update"));
    }

    [Test]
    public async Task FindInstalled_prefers_a_go_that_satisfies_and_else_returns_one_too_old_for_Doctor_to_name()
    {
        var real = await RealTools.GoAsync();
        using var cache = new TempDir("cache");

        var fits = await GoInstaller.FindInstalledAsync(new GoRequirement(real.Version, true, "setting", 0), cache.Path, CancellationToken.None);
        var tooOld = await GoInstaller.FindInstalledAsync(new GoRequirement(GoVersion.Parse("1.99"), false, "setting", 0), cache.Path, CancellationToken.None);

        Assert.That(fits?.Version, Is.EqualTo(real.Version));
        Assert.That(tooOld, Is.Not.Null, "with nothing new enough, any installed go is returned");
        Assert.That(tooOld!.Version, Is.LessThan(GoVersion.Parse("1.99")));
        Assert.That(tooOld.VersionOutput, Does.StartWith("go version go"), "it was asked, not guessed");
    }

    [Test]
    public void Missing_working_directory_is_named()
    {
        using var work = new TempDir("work");
        var missing = work.Combine("nope");
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(new GoToolchainSettings { WorkingDirectory = missing, CacheDirectory = work.Path }, new RecordingLog(), CancellationToken.None));
        Assert.That(ex!.Message, Does.Contain(missing));
    }

    [Test]
    public async Task Cache_picks_the_newest_install_that_satisfies_and_ignores_unfinished_temp_folders()
    {
        using var cache = new TempDir("cache");
        foreach (var version in new[] { "1.97.5", "1.98.1", "1.98.2" })
        {
            await Install(cache, version);
        }

        Directory.CreateDirectory(cache.Combine("go", ".1.99.0.123.abc.tmp", "go", "bin"));
        var settings = new GoToolchainSettings { Source = GoSource.Cache, CacheDirectory = cache.Path };

        var newest = await GoInstaller.EnsureAsync(settings with { Version = "1.98" }, new RecordingLog(), CancellationToken.None);
        var pinned = await GoInstaller.EnsureAsync(settings with { Version = "1.98.1" }, new RecordingLog(), CancellationToken.None);
        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(settings with { Version = "1.99" }, new RecordingLog(), CancellationToken.None));

        Assert.That((newest.Version.ToString(), newest.Source), Is.EqualTo(("1.98.2", GoSource.Cache)));
        Assert.That(pinned.GoExecutable, Is.EqualTo(cache.Combine("go", "1.98.1", "go", "bin", "go")));
        Assert.That(ex!.Message, Does.Contain("holds 1.98.2, 1.98.1, 1.97.5, none satisfies"));
    }

    private static async Task Install(TempDir cache, string version)
    {
        await using var server = new FakeGoDownloadServer();
        server.AddRelease(version, FakeGoDownloadServer.GoArchive(version));
        await GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = version, Source = GoSource.Download, CacheDirectory = cache.Path, DownloadBaseUrl = server.BaseUrl },
            new RecordingLog(),
            CancellationToken.None);
    }
}
