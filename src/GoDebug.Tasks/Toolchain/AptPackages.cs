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
