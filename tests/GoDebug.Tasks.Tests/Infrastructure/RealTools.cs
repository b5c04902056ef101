using System.Collections.Concurrent;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>
/// Locates the real go and dlv that .ci/run installed through the product's own installer. A missing
/// tool fails the test with the command that fixes it; it never skips.
/// </summary>
internal static class RealTools
{
    private static readonly Lazy<Task<GoTool>> LazyGo = new(() => GoTool.FromExecutableAsync(FindGo(), CancellationToken.None));

    private static readonly ConcurrentDictionary<string, Lazy<Task<GoTool>>> LazyAtLeast = new(StringComparer.Ordinal);

    /// <summary>The go first on PATH (else the newest Debian or cached one): any Go from 1.19 up, whichever the machine has.</summary>
    public static Task<GoTool> GoAsync() => LazyGo.Value;

    /// <summary>
    /// The version in the execution trace header <paramref name="go"/>'s runtime writes, read from its own source: the
    /// trace format's version, which a newer Go may keep (Go 1.24 writes "go 1.23 trace").
    /// </summary>
    public static async Task<string> TraceHeaderVersionAsync(GoTool go)
    {
        var source = Path.Combine(go.GoRoot, "src", "runtime", "trace.go");
        var written = System.Text.RegularExpressions.Regex.Match(await File.ReadAllTextAsync(source), @"""go (1\.\d+) trace\\x00");
        if (!written.Success) throw new InvalidOperationException($"{source} names no trace header");
        return written.Groups[1].Value;
    }

    /// <summary>
    /// A go of at least <paramref name="language"/> (e.g. "1.21"), for tests of behaviour only newer Go has. The
    /// product's installer finds it from that requirement, as a <c>go 1.21</c> line in a user's go.mod would have it
    /// found, while the PATH go may be older.
    /// </summary>
    public static Task<GoTool> GoAtLeastAsync(string language)
    {
        if (GoVersion.Parse(language).IsRelease)
        {
            throw new ArgumentException($"'{language}' would pin that one release; give a language version such as 1.21.", nameof(language));
        }

        return LazyAtLeast.GetOrAdd(language, l => new Lazy<Task<GoTool>>(() => InstallerGoAsync(l, null, $"--go-version={l}"))).Value;
    }

    /// <summary>The go the product's installer settles on for the go.work / go.mod that <paramref name="directory"/> is in.</summary>
    public static Task<GoTool> GoForAsync(string directory)
        => InstallerGoAsync(null, directory, $"--workspace={directory}");

    public static string FindGo()
        => Find("go", GoCandidates())
           ?? throw new AssertionException("No real 'go' found (PATH, /usr/lib/go-*/bin, the GoDebug.Tasks cache). Run ./build.sh --target=Toolchain first.");

    public static string FindDlv()
        => Find("dlv", DlvCandidates())
           ?? throw new AssertionException("No real 'dlv' found (PATH, GOPATH/bin, the GoDebug.Tasks cache). Run ./build.sh --target=Delve first.");

    /// <summary>Names the second dlv every debugger test also runs with; .ci/run sets it to trixie's dlv 1.24.</summary>
    public const string ExtraDlvVariable = "GDTASKS_DLV_EXTRA";

    /// <summary>
    /// The dlv set every debugger test runs over: <c>installed</c> (the one the product finds: bookworm's 1.20.2 in CI)
    /// and <c>extra</c> (a current one, <see cref="ExtraDlvVariable"/>, else where .ci/run unpacks trixie's).
    /// </summary>
    public static IEnumerable<TestCaseData> Dlvs()
    {
        yield return new TestCaseData("installed").SetArgDisplayNames("dlv-installed");
        yield return new TestCaseData("extra").SetArgDisplayNames("dlv-extra");
    }

    /// <summary>The dlv of a <see cref="Dlvs"/> case as the product would use it with the Go in use; a missing one fails the test.</summary>
    public static async Task<DelveResult> DelveAsync(string which)
    {
        var path = which switch
        {
            "installed" => FindDlv(),
            "extra" => ExtraDlv(),
            _ => throw new ArgumentException($"no dlv '{which}'", nameof(which)),
        };
        var version = DelveInstaller.ParseVersionOutput((await ProcessRunner.Default.RunAsync(path, ["version"], null, CancellationToken.None)).EnsureSuccess().StandardOutput)
            ?? throw new AssertionException($"{path} printed no version.");
        var go = await GoAsync();
        return new DelveResult(path, version.ToString(), DelveInstaller.Supports(version, go.Version), DelveSource.Existing);
    }

    private static string ExtraDlv()
    {
        var named = Environment.GetEnvironmentVariable(ExtraDlvVariable);
        var unpacked = Path.Combine(RepoPaths.Root, "artifacts", "trixie", "usr", "bin", "dlv");
        var path = string.IsNullOrEmpty(named) ? unpacked : named;
        return File.Exists(path)
            ? path
            : throw new AssertionException($"The second dlv is missing: {ExtraDlvVariable} is {(string.IsNullOrEmpty(named) ? "unset" : $"'{named}'")} and {unpacked} does not exist. Run .ci/run (it unpacks Debian trixie's delve there).");
    }

    /// <summary>
    /// The installer's sources that need no network, in its own order: our cache (where .ci/run's installer puts
    /// what it downloads), PATH, then Debian's packages (an installed golang-1.N-go is used; as root a missing
    /// one apt offers is installed, as for a user).
    /// </summary>
    private static async Task<GoTool> InstallerGoAsync(string? version, string? directory, string toolchainArgument)
    {
        // An explicit version needs no workspace; go env still runs in one, so an empty folder of our own.
        using var scratch = new TempDir("realgo");
        var settings = new GoToolchainSettings { Version = version, WorkingDirectory = directory ?? scratch.Path };
        try
        {
            // One walk of those sources, so a failure is one message with one list of what each source said.
            var found = await GoInstaller.EnsureAsync(settings, new RecordingLog(), [GoSource.Cache, GoSource.Path, GoSource.Apt], null, CancellationToken.None);
            return found.ToGoTool();
        }
        catch (GoDebugException ex)
        {
            throw new AssertionException($"No real go for {toolchainArgument}. Run ./build.sh --target=Toolchain {toolchainArgument} first. {ex.Message}");
        }
    }

    private static string? Find(string name, IEnumerable<string> extra)
        => PathSearch.OnPath(name).Concat(extra).FirstOrDefault(File.Exists);

    /// <summary>Where .ci/run's installer put them: the cache default the product itself uses ($GDTASKS_CACHE, XDG, ~/.cache).</summary>
    private static string Cache(string tool) => Path.Combine(ToolchainCache.Root(null), tool);

    private static IEnumerable<string> GoCandidates()
    {
        if (Directory.Exists("/usr/lib"))
        {
            foreach (var dir in Directory.GetDirectories("/usr/lib", "go-*").OrderByDescending(d => GoVersion.TryParse(Path.GetFileName(d)[3..])))
            {
                yield return Path.Combine(dir, "bin", "go");
            }
        }

        foreach (var (_, dir) in ToolchainCache.Installed(Cache("go"), GoVersion.TryParse))
        {
            yield return GoInstaller.CachedGoExecutable(dir);
        }
    }

    private static IEnumerable<string> DlvCandidates()
    {
        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "go", "bin", "dlv");
        foreach (var (_, dir) in ToolchainCache.Installed(Cache("dlv"), DelveInstaller.ParseDelveVersion))
        {
            yield return Path.Combine(dir, "dlv");
        }
    }
}
