using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

public class GoReleaseChoiceTests
{
    private static readonly GoPlatform Linux = new("linux", "amd64");

    private static readonly IReadOnlyList<GoRelease> Index =
    [
        Release("go1.100rc1", stable: false),
        Release("go1.99.2", stable: true, arch: "arm64"),
        Release("go1.99.1", stable: true),
        Release("go1.98.4", stable: true, kind: "installer"),
        Release("go1.98.3", stable: true),
        Release("go1.98.1", stable: true),
        Release("go1.98.0", stable: true),
    ];

    [TestCase("1.98", "go1.98.3.linux-amd64.tar.gz", TestName = "Go line picks the newest patch of that language version")]
    [TestCase("1.98.1", "go1.98.1.linux-amd64.tar.gz", TestName = "Pin picks exactly that release")]
    [TestCase("1.97", "go1.99.1.linux-amd64.tar.gz", TestName = "Minimum with no such language release picks the newest stable")]
    [TestCase("1.100rc1", "go1.100rc1.linux-amd64.tar.gz", TestName = "Requiring a pre-release allows unstable entries")]
    public void Requirement_picks_the_index_entry(string requirement, string expectedFile)
    {
        var chosen = GoReleaseIndex.Choose(Index, GoRequirementResolver.Resolve(requirement, "."), Linux);
        Assert.That(chosen?.File.FileName, Is.EqualTo(expectedFile));
    }

    [Test]
    public void No_requirement_picks_the_newest_stable_archive_for_this_platform()
    {
        var chosen = GoReleaseIndex.Choose(Index, null, Linux);
        Assert.That(chosen?.Version.ToString(), Is.EqualTo("1.99.1"), "1.100rc1 is unstable and 1.99.2 has no linux/amd64 archive");
    }

    [Test]
    public void Pin_of_a_release_without_an_archive_for_this_platform_finds_nothing()
    {
        Assert.That(GoReleaseIndex.Choose(Index, GoRequirementResolver.Resolve("1.99.2", "."), Linux), Is.Null);
        Assert.That(GoReleaseIndex.Choose(Index, GoRequirementResolver.Resolve("1.98.4", "."), Linux), Is.Null, "an installer is not an archive");
    }

    [Test]
    public void Malformed_index_names_the_url()
    {
        var ex = Assert.Throws<GoDebugException>(() => GoReleaseIndex.Parse("{\"not\":\"an array\"}", "http://127.0.0.1:1/dl/?mode=json"));
        Assert.That(ex!.Message, Does.Contain("http://127.0.0.1:1/dl/?mode=json"));
    }

    [Test]
    public async Task Download_of_a_requirement_from_go_mod_installs_the_matching_entry()
    {
        using var work = new TempDir("work");
        using var cache = new TempDir("cache");
        work.Write("go.mod", "module example.com/m\n\ngo 1.98\n");
        await using var server = new FakeGoDownloadServer();
        server.AddRelease("1.99.1", FakeGoDownloadServer.GoArchive("1.99.1"));
        server.AddRelease("1.98.3", FakeGoDownloadServer.GoArchive("1.98.3"));
        server.AddRelease("1.98.2", FakeGoDownloadServer.GoArchive("1.98.2"));

        var result = await GoInstaller.EnsureAsync(
            new GoToolchainSettings { WorkingDirectory = work.Path, CacheDirectory = cache.Path, DownloadBaseUrl = server.BaseUrl, Source = GoSource.Download },
            new RecordingLog(),
            CancellationToken.None);

        Assert.That((result.Version.ToString(), result.GoExecutable), Is.EqualTo(("1.98.3", cache.Combine("go", "1.98.3", "go", "bin", "go"))));
        Assert.That(server.ArchiveRequests, Is.EqualTo(1));
    }

    private static GoRelease Release(string version, bool stable, string arch = "amd64", string kind = "archive")
        => new(version, stable, [
            new GoReleaseFile($"{version}.src.tar.gz", string.Empty, string.Empty, version, new string('0', 64), 1, "source"),
            new GoReleaseFile($"{version}.linux-{arch}.tar.gz", "linux", arch, version, new string('0', 64), 1, kind),
        ]);
}
