using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Toolchain;

/// <summary>What apt knows about one package: the installed and the candidate version (upstream part).</summary>
internal sealed record AptPackage(string Name, string? Installed, string? Candidate);

/// <summary>
/// Debian/Ubuntu packages through apt-cache and apt-get (installing needs root), as apt is configured for this
/// step: APT_CONFIG from the step's environment reaches every apt command, and the package lists are judged where
/// that configuration keeps them.
/// </summary>
/// <param name="host">The step's host: its processes and environment.</param>
/// <param name="lists">apt's package lists as this configuration keeps them.</param>
/// <param name="aptGet">apt-get's path, or null where there is none.</param>
/// <param name="privileged">Whether this process may install packages (root).</param>
internal sealed partial class AptPackages(GoDebugHost host, AptLists lists, string? aptGet, bool privileged)
{
    public AptLists Lists => lists;

    public bool CanInstall => !OperatingSystem.IsWindows() && privileged && aptGet is not null;

    /// <summary>Why installing is impossible here, for the error that lists each source.</summary>
    public string CannotInstallReason
        => aptGet is null ? "apt-get is not on PATH (not a Debian/Ubuntu system)" : "installing packages needs root (run as root or with sudo)";

    /// <summary>apt as this machine has it for <paramref name="host"/>'s step; null where apt-cache is not on PATH.</summary>
    public static async Task<AptPackages?> OpenAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || PathSearch.OnPath("apt-cache").FirstOrDefault() is null) return null;
        var lists = await AptLists.ReadAsync(host, cancellationToken).ConfigureAwait(false);
        return new AptPackages(host, lists, PathSearch.OnPath("apt-get").FirstOrDefault(), Environment.IsPrivilegedProcess);
    }

    /// <summary>Package names starting with <paramref name="prefix"/> (<c>apt-cache pkgnames</c>).</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(string prefix, CancellationToken cancellationToken)
    {
        var result = await RunAsync("apt-cache", ["pkgnames", prefix], null, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Installed and candidate versions from <c>apt-cache policy</c>.</summary>
    public async Task<IReadOnlyList<AptPackage>> PolicyAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0) return [];
        var result = await RunAsync("apt-cache", ["policy", .. names], null, cancellationToken).ConfigureAwait(false);
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

    public async Task InstallAsync(string package, CancellationToken cancellationToken)
    {
        host.Log.Info($"Installing {package} with apt-get ...");
        var result = await RunAsync(aptGet ?? "apt-get", ["install", "-y", "--no-install-recommends", package], line => host.Log.Verbose(line), cancellationToken).ConfigureAwait(false);
        // "Unable to locate package" on a machine whose lists were never fetched is fixed by an update, not by a search.
        if (!result.Succeeded && lists.Problem() is { } stale)
        {
            throw new GoDebugException($"{result.CommandLine} failed (exit code {result.ExitCode}): {stale}; {AptLists.UpdateHint}");
        }

        result.EnsureSuccess();
    }

    /// <summary>
    /// Makes the package lists fit to answer before apt is asked, by <paramref name="update"/>: true fetches them
    /// always; false never; null (the default) fetches them when they were never fetched or predate a source and
    /// this process may (root), saying so in one line, since a fresh machine's apt knows no package until then.
    /// Returns what is still wrong with the lists, or null when they can answer.
    /// </summary>
    public async Task<string?> PrepareListsAsync(bool? update, CancellationToken cancellationToken)
    {
        if (update == true)
        {
            await UpdateAsync("Fetching the package lists with apt-get update ...", cancellationToken).ConfigureAwait(false);
            return null;
        }

        var problem = lists.Problem();
        if (problem is null || update == false || !CanInstall) return problem;
        await UpdateAsync($"{Capitalized(problem)}: running 'apt-get update' first ({host.Hints.Render(FixHint.Set(GoSetting.AptUpdate, "false"))} to forbid it) ...", cancellationToken).ConfigureAwait(false);
        return lists.Problem();
    }

    /// <summary>Runs <c>apt-get update</c>, which fetches the package lists of every configured source (needs root).</summary>
    private async Task UpdateAsync(string announcement, CancellationToken cancellationToken)
    {
        if (!CanInstall) throw new GoDebugException($"cannot run 'apt-get update': {CannotInstallReason}");
        host.Log.Info(announcement);
        (await RunAsync(aptGet!, ["update"], line => host.Log.Verbose(line), cancellationToken).ConfigureAwait(false)).EnsureSuccess();
    }

    private Task<ProcessResult> RunAsync(string executable, IReadOnlyList<string> arguments, Action<string>? onOutput, CancellationToken cancellationToken)
        => host.Processes.RunAsync(new ProcessSpec(executable, arguments) { Environment = AptEnvironment(host), OnStandardOutput = onOutput }, cancellationToken);

    /// <summary>The step's APT_CONFIG (or its absence) for an apt child, and no prompt from a package's scripts.</summary>
    internal static Dictionary<string, string?> AptEnvironment(GoDebugHost host)
        => new() { ["DEBIAN_FRONTEND"] = "noninteractive", ["APT_CONFIG"] = host.Environment.Get("APT_CONFIG") };

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

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
/// <param name="sourceList">apt's sources.list (Dir::Etc::sourcelist).</param>
/// <param name="sourceParts">apt's sources.list.d folder (Dir::Etc::sourceparts).</param>
/// <param name="listsDirectory">Where <c>apt-get update</c> stores the fetched lists (Dir::State::lists).</param>
internal sealed partial class AptLists(string sourceList, string sourceParts, string listsDirectory)
{
    private const string DefaultSourceList = "/etc/apt/sources.list";
    private const string DefaultSourceParts = "/etc/apt/sources.list.d";

    /// <summary>The paths Debian and Ubuntu use when nothing configures others (apt's defaults).</summary>
    public static AptLists Default { get; } = new(DefaultSourceList, DefaultSourceParts, "/var/lib/apt/lists");

    /// <summary>The exact command that fixes every <see cref="Problem"/>.</summary>
    public const string UpdateHint = "run 'apt-get update' (as root) to fetch them";

    public string ListsDirectory => listsDirectory;

    /// <summary>
    /// The paths apt itself uses for this step (<c>apt-config shell</c>, so APT_CONFIG and apt.conf.d count), or apt's
    /// defaults when apt-config cannot say.
    /// </summary>
    public static async Task<AptLists> ReadAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec("apt-config", ["shell", "LISTS", "Dir::State::lists/d", "LIST", "Dir::Etc::sourcelist/f", "PARTS", "Dir::Etc::sourceparts/d"])
        {
            Environment = AptPackages.AptEnvironment(host),
        };
        ProcessResult result;
        try
        {
            result = await host.Processes.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return Default;
        }

        var values = ShellAssignment().Matches(result.StandardOutput).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Replace("'\\''", "'", StringComparison.Ordinal), StringComparer.Ordinal);
        if (!result.Succeeded || !values.TryGetValue("LISTS", out var lists)) return Default;
        return new AptLists(values.GetValueOrDefault("LIST", DefaultSourceList), values.GetValueOrDefault("PARTS", DefaultSourceParts), Path.TrimEndingDirectorySeparator(lists));
    }

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
        var list = new FileInfo(sourceList);
        if (list.Exists) yield return list;
        var parts = new DirectoryInfo(sourceParts);
        if (!parts.Exists) yield break;
        // apt reads only these two extensions; anything else there (.disabled, .save) is not a source.
        foreach (var file in parts.EnumerateFiles().Where(f => f.Extension is ".list" or ".sources")) yield return file;
    }

    /// <summary>One line of <c>apt-config shell</c>: NAME='value' (a quote inside written as '\'').</summary>
    [GeneratedRegex(@"^(?<name>[A-Z]+)='(?<value>.*)'$", RegexOptions.Multiline)]
    private static partial Regex ShellAssignment();
}
