using System.Diagnostics;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>Doctor's Delve release check with the real dlv against a GitHub-shaped server, and offline.</summary>
[TestFixture]
public sealed class DelveReleaseCheckTests
{
    private sealed class MovableClock(TimeSpan offset) : TimeProvider
    {
        public TimeSpan Offset { get; set; } = offset;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    private static GoDebugHost Host(string apiUrl, TimeProvider time)
    {
        var host = GoDebugHost.Create(new RecordingLog());
        return host with { Environment = host.Environment.With("GITHUB_API_URL", apiUrl).With("HTTPS_PROXY", null).With("https_proxy", null), Time = time };
    }

    private static async Task<string> InstalledAsync()
    {
        var output = await GoDebug.Tasks.Processes.ProcessRunnerExtensions.RunAsync(GoDebug.Tasks.Processes.ProcessRunner.Default, RealTools.FindDlv(), ["version"], null, CancellationToken.None);
        return GoDebug.Tasks.Toolchain.DelveInstaller.ParseVersionOutput(output.StandardOutput)!.ToString();
    }

    [Test]
    public async Task Says_how_far_behind_and_caches_the_answer_for_a_day()
    {
        using var cache = new TempDir("drc");
        var installed = Version.Parse(await InstalledAsync());
        var latest = new Version(installed.Major, installed.Minor + 5, 1);
        var clock = new MovableClock(TimeSpan.Zero);
        var dlv = RealTools.FindDlv();
        string url;
        await using (var github = new FakeGitHub { LatestDelveTag = $"v{latest}" })
        {
            url = github.Url;
            var finding = await DelveReleaseCheck.CheckAsync(dlv, cache.Path, Host(url, clock), CancellationToken.None);
            Assert.That(finding!.Code, Is.EqualTo(CiCodes.DelveBehind));
            Assert.That(finding.Problem, Does.Contain($"dlv {installed} is 5 minor release(s) behind Delve's latest release {latest}"));
            Assert.That(finding.Fix.Settings, Does.Contain(new SettingValue(GoSetting.DelveVersion, $"v{latest}")));
            Assert.That(finding.Fix.Note, Does.Contain($"dlv@v{latest}"));
            Assert.That(github.Requests.Select(r => r.Request), Is.EqualTo(new[] { "GET /repos/go-delve/delve/releases/latest" }));
        }

        clock.Offset = TimeSpan.FromHours(23);
        var cached = await DelveReleaseCheck.CheckAsync(dlv, cache.Path, Host(url, clock), CancellationToken.None);
        Assert.That(cached!.Problem, Does.Contain($"behind Delve's latest release {latest}"), "within a day the server is not asked (it is gone)");

        clock.Offset = TimeSpan.FromHours(25);
        var expired = await DelveReleaseCheck.CheckAsync(dlv, cache.Path, Host(url, clock), CancellationToken.None);
        Assert.That(expired!.Problem, Does.Contain("latest release is unknown").And.Contain("unreachable"));
    }

    [Test]
    public async Task Offline_reads_unknown_quickly()
    {
        using var cache = new TempDir("drc");
        var closed = Ports.Free();
        var watch = Stopwatch.StartNew();
        var finding = await DelveReleaseCheck.CheckAsync(RealTools.FindDlv(), cache.Path, Host($"http://127.0.0.1:{closed}", TimeProvider.System), CancellationToken.None);
        watch.Stop();
        Assert.That(finding!.Problem, Does.Contain("Delve's latest release is unknown").And.Contain($"127.0.0.1:{closed} is unreachable"));
        Assert.That(finding.Severity, Is.EqualTo(GoDiagnosticSeverity.Notice));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories), Is.Empty, "an unknown answer is not cached");
    }

    [Test]
    public async Task No_dlv_means_no_finding()
        => Assert.That(await DelveReleaseCheck.CheckAsync(null, null, Host("http://127.0.0.1:9", TimeProvider.System), CancellationToken.None), Is.Null);
}
