using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>
/// Locates the real go and dlv that .ci/run installed through the product's own installer. A missing
/// tool fails the test with the command that fixes it; it never skips.
/// </summary>
internal static class RealTools
{
    private static readonly Lazy<Task<GoTool>> LazyGo = new(() => GoTool.FromExecutableAsync(FindGo(), CancellationToken.None));

    public static Task<GoTool> GoAsync() => LazyGo.Value;

    public static string FindGo()
        => Find("go", GoCandidates())
           ?? throw new AssertionException("No real 'go' found (PATH, /usr/lib/go-*/bin, the GoDebug.Tasks cache). Run ./build.sh --target=Toolchain first.");

    public static string FindDlv()
        => Find("dlv", DlvCandidates())
           ?? throw new AssertionException("No real 'dlv' found (PATH, GOPATH/bin, the GoDebug.Tasks cache). Run ./build.sh --target=Delve first.");

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
