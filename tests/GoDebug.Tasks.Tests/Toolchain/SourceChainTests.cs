using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>
/// Walking the Go and Delve sources as a user sees it: every fallback says on one line why the source before it gave
/// nothing, and when none gives anything the error holds one "Tried:" list. Real dlv, go, apt; the download index is
/// a local server with no release that satisfies.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SourceChainTests
{
    private static List<string> Fallbacks(RecordingLog log)
        => log.Lines.Where(l => l.Level == "info" && l.Message.Contains("; trying ", StringComparison.Ordinal)).Select(l => l.Message).ToList();

    [Test]
    public async Task Each_delve_fallback_says_why_in_one_line_and_the_error_lists_every_source_once()
    {
        using var work = new TempDir("dlvchain");
        using var cache = new TempDir("cache");
        var real = await RealTools.GoAsync();
        var env = new Dictionary<string, string?>(real.Environment)
        {
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = "-mod=mod -modcacherw",
            ["GOPATH"] = work.Combine("gopath"),
            ["GOBIN"] = null,
            ["GOMODCACHE"] = work.Combine("modcache"),
        };
        var log = new RecordingLog();
        var dlv = RealTools.FindDlv();

        var ex = Assert.ThrowsAsync<GoDebugException>(() => DelveInstaller.EnsureAsync(new DelveSettings { MinimumVersion = "1.99.0", CacheDirectory = cache.Path }, real with { Environment = env }, log, CancellationToken.None));

        var fallbacks = Fallbacks(log);
        foreach (var line in fallbacks) TestContext.Out.WriteLine(line);
        Assert.That(fallbacks, Has.Count.EqualTo(2));
        Assert.That(fallbacks, Has.All.Not.Contain('\n'));
        Assert.That(fallbacks[0], Does.StartWith("existing: ").And.Contain($"{dlv} is dlv 1.20").And.EndWith("; minimum is 1.99.0; trying go install next."));
        Assert.That(fallbacks[1], Does.StartWith($"go install: '{real.Executable} install github.com/go-delve/delve/cmd/dlv@latest' exited with code 1: ").And.Contain("GOPROXY=off").And.EndWith("; trying apt next."));
        var infos = log.Lines.Where(l => l.Level == "info").Select(l => l.Message).ToList();
        Assert.That(infos.IndexOf(fallbacks[1]), Is.LessThan(infos.IndexOf("Installing delve with apt-get ...")), "the reason comes before the next source starts");

        Assert.That(Regex.Matches(ex!.Message, "Tried:"), Has.Count.EqualTo(1), ex.Message);
        Assert.That(ex.Message, Does.StartWith("No dlv 1.99.0 or later found or installed. Tried:"));
        Assert.That(ex.Message, Does.EndWith($"  - apt: {dlv} is dlv 1.20.2, older than the minimum 1.99.0"));
    }

    [Test]
    public async Task Each_go_fallback_says_why_in_one_line_and_the_error_lists_every_source_once()
    {
        await using var server = new FakeGoDownloadServer();
        server.AddRelease("1.98.0", FakeGoDownloadServer.GoArchive("1.98.0"));
        using var cache = new TempDir("cache");
        using var workspace = new TempDir("ws");
        var log = new RecordingLog();

        var ex = Assert.ThrowsAsync<GoDebugException>(() => GoInstaller.EnsureAsync(
            new GoToolchainSettings { Version = "1.99", WorkingDirectory = workspace.Path, CacheDirectory = cache.Path, DownloadBaseUrl = server.BaseUrl, PlainOutput = true }, log, CancellationToken.None));

        var fallbacks = Fallbacks(log);
        foreach (var line in fallbacks) TestContext.Out.WriteLine(line);
        Assert.That(fallbacks, Has.Count.EqualTo(3));
        Assert.That(fallbacks, Has.All.Not.Contain('\n'));
        Assert.That(fallbacks[0], Is.EqualTo($"cache: nothing installed under {Path.Combine(cache.Path, "go")}; trying path next."));
        Assert.That(fallbacks[1], Does.StartWith("path: ").And.EndWith("; trying download next."));
        Assert.That(fallbacks[2], Is.EqualTo($"download: {server.BaseUrl}/dl/?mode=json&include=all lists no stable {GoPlatform.Current} archive that satisfies go 1.99 or later (from setting); trying apt next."));

        Assert.That(Regex.Matches(ex!.Message, "Tried:"), Has.Count.EqualTo(1), ex.Message);
        Assert.That(ex.Message.Split('\n').Count(l => l.StartsWith("  - ", StringComparison.Ordinal)), Is.EqualTo(4), "cache, path, download, apt");
        Assert.That(ex.Message, Does.Contain("  - apt: the newest Go apt offers is golang-1."));
    }

    [Test]
    public void A_many_line_refusal_is_one_line_of_its_first_and_last()
    {
        Assert.That(SourceChain.OneLine("'go install x' exited with code 1: go: downloading a\ngo: downloading b\n\ngo: build failed: no space\n"), Is.EqualTo("'go install x' exited with code 1: go: downloading a … go: build failed: no space"));
        Assert.That(SourceChain.OneLine("cache: nothing installed"), Is.EqualTo("cache: nothing installed"));
    }
}
