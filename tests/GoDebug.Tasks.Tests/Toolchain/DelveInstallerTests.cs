using System.IO.Compression;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

public class DelveInstallerTests
{
    private const string ModuleVersion = "v1.99.0";

    [Test]
    public async Task Go_install_from_a_file_proxy_puts_dlv_in_the_cache()
    {
        using var work = new TempDir("dlvproxy");
        using var cache = new TempDir("cache");
        var go = await GoWithDelveProxy(work);
        var log = new RecordingLog();

        var result = await DelveInstaller.EnsureAsync(new DelveSettings { Source = DelveSource.GoInstall, CacheDirectory = cache.Path }, go, log, CancellationToken.None);

        var expected = cache.Combine("dlv", "1.99.0", "dlv");
        Assert.That((result.DlvExecutable, result.Version, result.Source), Is.EqualTo((expected, "1.99.0", DelveSource.GoInstall)));
        // Newer than the table: no upper bound (assumed to keep up with new Go), and the newest row's lower bound (Delve
        // has only ever raised it), so the Go 1.19 a machine may have still gets --check-go-version=false.
        var supported = go.Version.Language >= GoVersion.Parse("1.21");
        Assert.That(result.SupportsGoVersion, Is.EqualTo(supported), $"go {go.Version}");
        Assert.That(result.CompatibilityArguments, supported ? Is.Empty : Is.EqualTo(new[] { "--check-go-version=false" }));
        var ran = await ProcessRunner.Default.RunAsync(expected, ["version"], null, CancellationToken.None);
        Assert.That(ran.StandardOutput, Does.Contain("Version: 1.99.0"));
        Assert.That(Directory.GetFileSystemEntries(cache.Combine("dlv")).Select(Path.GetFileName).Where(n => !n!.EndsWith(".lock", StringComparison.Ordinal)), Is.EqualTo(new[] { "1.99.0" }), "no temp GOBIN left");
    }

    [Test]
    public async Task Two_concurrent_go_installs_of_one_version_build_once()
    {
        using var work = new TempDir("dlvproxy");
        using var cache = new TempDir("cache");
        var go = await GoWithDelveProxy(work);
        var settings = new DelveSettings { Source = DelveSource.GoInstall, Version = ModuleVersion, CacheDirectory = cache.Path };
        RecordingLog[] logs = [new(), new()];

        var results = await Task.WhenAll(logs.Select(log => Task.Run(() => DelveInstaller.EnsureAsync(settings, go, log, CancellationToken.None))));

        Assert.That(results.Select(r => r.DlvExecutable).Distinct(), Is.EqualTo(new[] { cache.Combine("dlv", "1.99.0", "dlv") }));
        Assert.That(logs.Count(l => l.Text.Contains("Installing github.com/go-delve/delve/cmd/dlv@v1.99.0", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public async Task Go_install_failure_names_the_module_and_leaves_no_temp()
    {
        using var work = new TempDir("dlvproxy");
        using var cache = new TempDir("cache");
        var go = await GoWithDelveProxy(work);

        var ex = Assert.ThrowsAsync<GoDebugException>(() => DelveInstaller.EnsureAsync(new DelveSettings { Source = DelveSource.GoInstall, Version = "v1.98.0", CacheDirectory = cache.Path }, go, new RecordingLog(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("github.com/go-delve/delve/cmd/dlv@v1.98.0"));
        Assert.That(Directory.GetFileSystemEntries(cache.Combine("dlv")).Where(p => !p.EndsWith(".lock", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public async Task Existing_debian_dlv_is_found_and_flagged_when_it_predates_the_go_in_use()
    {
        using var work = new TempDir("gopath");
        using var cache = new TempDir("cache");
        var dlv = RealTools.FindDlv();

        // The Debian facts this test rests on, checked: the dlv on PATH is the one Debian's delve package installed,
        // and bookworm's delve is 1.20.x, which supports Go up to 1.20.
        var owner = await ProcessRunner.Default.RunAsync("dpkg-query", ["-S", dlv], null, CancellationToken.None);
        Assert.That(owner.StandardOutput.Trim(), Is.EqualTo($"delve: {dlv}"), $"{dlv} is not from Debian's delve package");
        var packaged = await ProcessRunner.Default.RunAsync("dpkg-query", ["-W", "-f=${Version}", "delve"], null, CancellationToken.None);
        Assert.That(AptPackages.Upstream(packaged.StandardOutput), Does.StartWith("1.20."), "Debian bookworm ships delve 1.20.x");

        // A go newer than that dlv supports, from the installer as a go.mod saying 'go 1.21' would get it.
        var go = await GoWith(new Dictionary<string, string?> { ["GOPATH"] = work.Path, ["GOBIN"] = null }, await RealTools.GoAtLeastAsync("1.21"));
        var log = new RecordingLog();

        var result = await DelveInstaller.EnsureAsync(new DelveSettings { Source = DelveSource.Existing, CacheDirectory = cache.Path }, go, log, CancellationToken.None);

        Assert.That((result.DlvExecutable, result.Source), Is.EqualTo((dlv, DelveSource.Existing)));
        Assert.That(result.Version, Is.EqualTo(AptPackages.Upstream(packaged.StandardOutput)));
        Assert.That(result.SupportsGoVersion, Is.False, $"dlv {result.Version} with go {go.Version}");
        Assert.That(result.CompatibilityArguments, Is.EqualTo(new[] { "--check-go-version=false" }));
        Assert.That(log.Lines.Where(l => l.Level == "warning").Select(l => l.Message), Has.Some.Contains("--check-go-version=false"));
    }

    [Test]
    public async Task Existing_dlv_below_the_minimum_is_refused_with_what_was_found()
    {
        using var work = new TempDir("gopath");
        using var cache = new TempDir("cache");
        var go = await GoWith(new Dictionary<string, string?> { ["GOPATH"] = work.Path, ["GOBIN"] = null });

        var ex = Assert.ThrowsAsync<GoDebugException>(() => DelveInstaller.EnsureAsync(new DelveSettings { Source = DelveSource.Existing, MinimumVersion = "1.99.0", CacheDirectory = cache.Path }, go, new RecordingLog(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"{RealTools.FindDlv()} is dlv 1.20").And.Contain("minimum is 1.99.0"));
    }

    [TestCase("1.20.2", "1.20.14", true)]
    [TestCase("1.20.2", "1.23.5", false)]
    [TestCase("1.22.1", "1.22.9", true)]
    [TestCase("1.22.1", "1.23.0", false)]
    [TestCase("1.25.0", "1.25.3", true)]
    [TestCase("1.25.0", "1.26.0", false)]
    [TestCase("1.31.0", "1.30.0", true)]
    [TestCase("1.9.1", "1.19.5", true)]
    [TestCase("1.9.1", "1.20.0", false)]
    [TestCase("1.6.0", "1.17.0", false)]
    public void Support_table(string delve, string go, bool supported)
        => Assert.That(DelveInstaller.Supports(Version.Parse(delve), GoVersion.Parse(go)), Is.EqualTo(supported));

    [Test]
    public void Version_output_is_parsed()
    {
        Assert.That(DelveInstaller.ParseVersionOutput("Delve Debugger\nVersion: 1.20.2\nBuild: $Id: e0c278ad $\n"), Is.EqualTo(new Version(1, 20, 2)));
        Assert.That(DelveInstaller.ParseVersionOutput("dlv: command not understood"), Is.Null);
    }

    /// <summary>The real go, fetching modules only from a file:// proxy in <paramref name="work"/> with checksum lookups off.</summary>
    private static Task<GoTool> GoWithDelveProxy(TempDir work) => GoWith(new Dictionary<string, string?>
    {
        ["GOPROXY"] = new Uri(WriteDelveProxy(work)).AbsoluteUri,
        ["GOSUMDB"] = "off",
        ["GONOSUMDB"] = "*",
        ["GOFLAGS"] = "-mod=mod -modcacherw",
        ["GOPATH"] = work.Combine("gopath"),
        ["GOMODCACHE"] = work.Combine("modcache"),
    });

    /// <summary><paramref name="real"/> (by default the go first on PATH) with <paramref name="extra"/> set in its environment.</summary>
    private static async Task<GoTool> GoWith(IReadOnlyDictionary<string, string?> extra, GoTool? real = null)
    {
        real ??= await RealTools.GoAsync();
        var env = new Dictionary<string, string?>(real.Environment);
        foreach (var (k, v) in extra) env[k] = v;
        return real with { Environment = env };
    }

    /// <summary>A GOPROXY=file:// tree serving github.com/go-delve/delve v1.99.0 whose cmd/dlv prints a Delve version banner.</summary>
    private static string WriteDelveProxy(TempDir work)
    {
        const string goMod = "module github.com/go-delve/delve\n\ngo 1.19\n";
        const string main = """
            package main

            import (
            	"fmt"
            	"os"
            )

            func main() {
            	if len(os.Args) > 1 && os.Args[1] == "version" {
            		fmt.Print("Delve Debugger\nVersion: 1.99.0\nBuild: $Id: test $\n")
            		return
            	}
            	os.Exit(1)
            }
            """;
        var dir = work.Combine("proxy", "github.com", "go-delve", "delve", "@v");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "list"), ModuleVersion + "\n");
        File.WriteAllText(Path.Combine(dir, ModuleVersion + ".info"), $$"""{"Version":"{{ModuleVersion}}","Time":"2026-01-01T00:00:00Z"}""");
        File.WriteAllText(Path.Combine(dir, ModuleVersion + ".mod"), goMod);
        using (var zip = ZipFile.Open(Path.Combine(dir, ModuleVersion + ".zip"), ZipArchiveMode.Create))
        {
            var prefix = $"github.com/go-delve/delve@{ModuleVersion}/";
            foreach (var (name, content) in new[] { ("go.mod", goMod), ("cmd/dlv/main.go", main + "\n") })
            {
                using var writer = new StreamWriter(zip.CreateEntry(prefix + name).Open());
                writer.Write(content);
            }
        }

        return work.Combine("proxy");
    }
}
