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
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name));
        return fromPath.Concat(extra).FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> GoCandidates()
    {
        if (Directory.Exists("/usr/lib"))
        {
            foreach (var dir in Directory.GetDirectories("/usr/lib", "go-*").OrderByDescending(d => GoVersion.TryParse(Path.GetFileName(d)[3..])))
            {
                yield return Path.Combine(dir, "bin", "go");
            }
        }

        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "godebug-tasks", "go");
        if (Directory.Exists(cache))
        {
            foreach (var dir in Directory.GetDirectories(cache).OrderByDescending(d => GoVersion.TryParse(Path.GetFileName(d))))
            {
                yield return Path.Combine(dir, "go", "bin", "go");
            }
        }
    }

    private static IEnumerable<string> DlvCandidates()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        yield return Path.Combine(home, "go", "bin", "dlv");
        var cache = Path.Combine(home, ".cache", "godebug-tasks", "dlv");
        if (Directory.Exists(cache))
        {
            foreach (var dir in Directory.GetDirectories(cache))
            {
                yield return Path.Combine(dir, "dlv");
            }
        }
    }
}
