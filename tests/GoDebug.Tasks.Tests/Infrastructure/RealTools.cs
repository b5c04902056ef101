using System.Collections.Concurrent;
using GoDebug.Tasks.Diagnostics;
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
