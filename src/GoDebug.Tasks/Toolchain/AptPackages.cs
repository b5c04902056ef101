using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Toolchain;

/// <summary>What apt knows about one package: the installed and the candidate version (upstream part).</summary>
internal sealed record AptPackage(string Name, string? Installed, string? Candidate);

/// <summary>Debian/Ubuntu packages through apt-cache and apt-get (installing needs root).</summary>
internal static partial class AptPackages
{
    public static string? AptGet => PathSearch.OnPath("apt-get").FirstOrDefault();

    public static bool CanInstall => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess && AptGet is not null;

    /// <summary>Why installing is impossible here, for the error that lists each source.</summary>
    public static string CannotInstallReason
        => AptGet is null ? "apt-get is not on PATH (not a Debian/Ubuntu system)" : "installing packages needs root (run as root or with sudo)";

    /// <summary>Package names starting with <paramref name="prefix"/> (<c>apt-cache pkgnames</c>).</summary>
    public static async Task<IReadOnlyList<string>> NamesAsync(string prefix, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.Default.RunAsync("apt-cache", ["pkgnames", prefix], null, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Installed and candidate versions from <c>apt-cache policy</c>.</summary>
    public static async Task<IReadOnlyList<AptPackage>> PolicyAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0) return [];
        var result = await ProcessRunner.Default.RunAsync("apt-cache", ["policy", .. names], null, cancellationToken).ConfigureAwait(false);
        var packages = new List<AptPackage>();
        string? name = null, installed = null, candidate = null;
        foreach (var raw in result.StandardOutput.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && line.EndsWith(':'))
            {
                if (name is not null) packages.Add(new AptPackage(name, installed, candidate));
                (name, installed, candidate) = (line[..^1], null, null);
            }
            else if (line.TrimStart().StartsWith("Installed:", StringComparison.Ordinal))
            {
                installed = Upstream(line.Split(':', 2)[1]);
            }
            else if (line.TrimStart().StartsWith("Candidate:", StringComparison.Ordinal))
            {
                candidate = Upstream(line.Split(':', 2)[1]);
            }
        }

        if (name is not null) packages.Add(new AptPackage(name, installed, candidate));
        return packages;
    }

    public static async Task InstallAsync(string package, IGoDebugLog log, CancellationToken cancellationToken)
    {
        log.Info($"Installing {package} with apt-get ...");
        var spec = new ProcessSpec(AptGet ?? "apt-get", ["install", "-y", "--no-install-recommends", package])
        {
            Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
            OnStandardOutput = line => log.Verbose(line),
        };
        var result = await ProcessRunner.Default.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        // "Unable to locate package" on a machine whose lists were never fetched is fixed by an update, not by a search.
        if (!result.Succeeded && AptLists.System.Problem() is { } stale)
        {
            throw new GoDebugException($"{result.CommandLine} failed (exit code {result.ExitCode}): {stale}; {AptLists.UpdateHint}");
        }

        result.EnsureSuccess();
    }

    /// <summary>Runs <c>apt-get update</c>, which fetches the package lists of every configured source (needs root).</summary>
    public static async Task UpdateAsync(IGoDebugLog log, CancellationToken cancellationToken)
    {
        if (!CanInstall) throw new GoDebugException($"cannot run 'apt-get update': {CannotInstallReason}");
        log.Info("Fetching the package lists with apt-get update ...");
        var spec = new ProcessSpec(AptGet!, ["update"])
        {
            Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
            OnStandardOutput = line => log.Verbose(line),
        };
        (await ProcessRunner.Default.RunAsync(spec, cancellationToken).ConfigureAwait(false)).EnsureSuccess();
    }

    /// <summary>How to turn on this distribution's backports, named by its codename from /etc/os-release.</summary>
    public static string BackportsHint()
    {
        var release = File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : [];
        string? Field(string key) => release.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..].Trim('"')).FirstOrDefault();
        var id = Field("ID") ?? "debian";
        var codename = Field("VERSION_CODENAME") ?? "<codename>";
        return $"enable {codename}-backports: add a line 'deb <your {id} mirror> {codename}-backports main' "
            + $"(the mirror of your existing entries) under /etc/apt/sources.list.d/, then run 'apt-get update'";
    }

    /// <summary>"2:1.19~1" → "1.19", "1.23.5-1~bpo12+1" → "1.23.5"; "(none)" → null.</summary>
    internal static string? Upstream(string debianVersion)
    {
        var text = debianVersion.Trim();
        if (text.Length == 0 || text == "(none)") return null;
        var m = UpstreamPattern().Match(text);
        return m.Success ? m.Groups["upstream"].Value : text;
    }

    [GeneratedRegex(@"^(?:\d+:)?(?<upstream>[0-9][0-9.]*)")]
    private static partial Regex UpstreamPattern();
}

/// <summary>
/// Whether apt's package lists can answer for its sources: apt-cache knows nothing on a machine where
/// <c>apt-get update</c> never ran (a fresh container), and nothing of a source added since the last update.
/// </summary>
/// <param name="etcApt">apt's configuration folder (sources.list and sources.list.d).</param>
/// <param name="listsDirectory">Where <c>apt-get update</c> stores the fetched lists.</param>
internal sealed class AptLists(string etcApt, string listsDirectory)
{
    /// <summary>The paths Debian and Ubuntu use (apt's Dir::Etc and Dir::State::lists defaults).</summary>
    public static AptLists System { get; } = new("/etc/apt", "/var/lib/apt/lists");

    /// <summary>The exact command that fixes every <see cref="Problem"/>.</summary>
    public const string UpdateHint = "run 'apt-get update' (as root) to fetch them";

    /// <summary>Null when the lists are at least as new as every source file; otherwise what is wrong, naming the paths.</summary>
    public string? Problem()
    {
        var lists = new DirectoryInfo(listsDirectory);
        var fetched = lists.Exists
            ? lists.EnumerateFiles("*_Packages*").Concat(lists.EnumerateFiles("*Release")).ToList()
            : [];
        if (!fetched.Any(f => f.Name.Contains("_Packages", StringComparison.Ordinal)))
        {
            return $"apt's package lists were never fetched ({listsDirectory} holds none)";
        }

        // A source added or edited after the last update has no lists yet. apt renames each fetched list into the
        // folder, so the folder's time is the last update that changed anything; a file's own time may be the server's.
        var listed = fetched.Select(f => f.LastWriteTimeUtc).Append(lists.LastWriteTimeUtc).Max();
        var newer = SourceFiles().Where(f => f.LastWriteTimeUtc > listed).OrderBy(f => f.FullName, StringComparer.Ordinal).FirstOrDefault();
        return newer is null ? null : $"{newer.FullName} changed after apt's package lists were last fetched ({listed:yyyy-MM-dd HH:mm:ss} UTC)";
    }

    private IEnumerable<FileInfo> SourceFiles()
    {
        var list = new FileInfo(Path.Combine(etcApt, "sources.list"));
        if (list.Exists) yield return list;
        var parts = new DirectoryInfo(Path.Combine(etcApt, "sources.list.d"));
        if (!parts.Exists) yield break;
        // apt reads only these two extensions; anything else there (.disabled, .save) is not a source.
        foreach (var file in parts.EnumerateFiles().Where(f => f.Extension is ".list" or ".sources")) yield return file;
    }
}
