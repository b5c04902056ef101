using System.Globalization;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// Finds or installs the Go toolchain a workspace needs. Sources, in order for
/// <see cref="GoSource.Auto"/>: our cache, a go on PATH or under $GOROOT, a verified download from the
/// release index, Debian/Ubuntu packages. Each can be forced alone.
/// </summary>
internal static partial class GoInstaller
{
    private static readonly GoSource[] AutoOrder = [GoSource.Cache, GoSource.Path, GoSource.Download, GoSource.Apt];

    public static Task<GoToolchainResult> EnsureAsync(GoToolchainSettings settings, GoDebugHost host, CancellationToken cancellationToken)
        => EnsureAsync(settings, host, null, null, cancellationToken);

    /// <summary>
    /// As above, walking <paramref name="order"/> instead of the setting's sources (null: the setting's), and asking
    /// <paramref name="apt"/> for Debian packages (null: apt as this machine has it for the step).
    /// </summary>
    internal static async Task<GoToolchainResult> EnsureAsync(GoToolchainSettings settings, GoDebugHost host, IReadOnlyList<GoSource>? order, AptPackages? apt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = host.Log;
        if (!Directory.Exists(settings.WorkingDirectory))
        {
            throw new GoDebugException($"Go working directory '{Path.GetFullPath(settings.WorkingDirectory)}' does not exist.");
        }

        var requirement = GoRequirementResolver.Resolve(settings.Version, settings.WorkingDirectory);
        log.Verbose(requirement is null ? "No Go version requirement (no setting, .go-version, go.work or go.mod): any Go will do." : $"Requirement: {requirement}.");
        var cache = ToolchainCache.Root(settings.CacheDirectory);
        var wanted = requirement?.ToString() ?? "any go";
        IReadOnlyList<GoSource> sources = order ?? (settings.Source == GoSource.Auto ? AutoOrder : [settings.Source]);
        var refusals = new List<string>();
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            var before = refusals.Count;
            Found? found;
            try
            {
                found = source switch
                {
                    GoSource.Cache => Unprobed(FromCache(cache, requirement, refusals)),
                    GoSource.Path => Probed(await FromPathAsync(requirement, host.Environment.Get("GOROOT"), refusals, cancellationToken).ConfigureAwait(false)),
                    GoSource.Download => Unprobed(await DownloadAsync(settings, cache, requirement, log, cancellationToken).ConfigureAwait(false)),
                    GoSource.Apt => await FromAptAsync(requirement, settings.AptUpdate, apt ??= await AptPackages.OpenAsync(host, cancellationToken).ConfigureAwait(false), refusals, log, cancellationToken).ConfigureAwait(false),
                    _ => throw new GoDebugException($"Unknown Go source '{source}'."),
                };
            }
            catch (GoDebugException ex) when (sources.Count > 1)
            {
                refusals.Add($"{source.ToString().ToLowerInvariant()}: {ex.Message}");
                found = null;
            }
            catch (GoDebugException ex)
            {
                throw new GoDebugException($"Go source '{source}' cannot provide {wanted}: {ex.Message}", ex);
            }

            if (found is not null)
            {
                return await FinishAsync(found, source, requirement, settings.WorkingDirectory, log, cancellationToken).ConfigureAwait(false);
            }

            if (i + 1 < sources.Count && refusals.Count > before)
            {
                SourceChain.FallingBack(log, refusals[^1], sources[i + 1].ToString().ToLowerInvariant());
            }
        }

        // Stale package lists are the one refusal a setting of ours fixes; the others name their own remedy.
        var hint = sources.Contains(GoSource.Apt) && settings.AptUpdate != true && apt?.Lists.Problem() is not null
            ? FixHint.Set(GoSetting.AptUpdate).Or("run 'apt-get update' as root")
            : null;
        throw new GoDebugException(SourceChain.Tried($"No Go toolchain satisfies {wanted}.", refusals), hint);
    }

    /// <summary>
    /// The go that Auto would use without downloading or installing anything (Doctor diagnoses, it never
    /// installs): one that satisfies <paramref name="requirement"/> if any, else any go at all so the caller can
    /// say it is too old; null when there is none.
    /// </summary>
    internal static async Task<GoTool?> FindInstalledAsync(GoRequirement? requirement, string? cacheDirectory, CancellationToken cancellationToken)
    {
        var cache = ToolchainCache.Root(cacheDirectory);
        var refusals = new List<string>();
        if (FromCache(cache, requirement, refusals) is { } cached) return await GoTool.FromExecutableAsync(cached, cancellationToken).ConfigureAwait(false);

        // Each go is asked its version once: Debian's /usr/bin/go resolves to one of the /usr/lib/go-1.N listed too,
        // and the ones that fall short are kept as the answer when nothing satisfies.
        var tooOld = new List<GoTool>();
        foreach (var executable in PathCandidates(Environment.GetEnvironmentVariable("GOROOT")).Concat(InstalledDebianGos()).Distinct(StringComparer.Ordinal))
        {
            GoTool tool;
            try
            {
                tool = await GoTool.FromExecutableAsync(executable, cancellationToken).ConfigureAwait(false);
            }
            catch (GoDebugException)
            {
                continue;
            }

            if (requirement is null || requirement.IsSatisfiedBy(tool.Version)) return tool;
            tooOld.Add(tool);
        }

        if (requirement is not null && FromCache(cache, null, refusals) is { } older) return await GoTool.FromExecutableAsync(older, cancellationToken).ConfigureAwait(false);
        return tooOld.FirstOrDefault();
    }

    /// <summary>A go a source settled on; <see cref="Probe"/> is set when the source already ran its <c>go version</c>.</summary>
    private sealed record Found(string Executable, GoTool? Probe);

    private static Found? Unprobed(string? executable) => executable is null ? null : new Found(executable, null);

    private static Found? Probed(GoTool? tool) => tool is null ? null : new Found(tool.Executable, tool);

    internal static string CachedGoExecutable(string versionDirectory)
        => Path.Combine(versionDirectory, "go", "bin", PathSearch.ExecutableName("go"));

    private static string? FromCache(string cache, GoRequirement? requirement, List<string> refusals)
    {
        var root = Path.Combine(cache, "go");
        var installed = ToolchainCache.Installed(root, GoVersion.TryParse)
            .Where(x => File.Exists(CachedGoExecutable(x.Directory)))
            .ToList();
        var match = installed.FirstOrDefault(x => requirement is null || requirement.IsSatisfiedBy(x.Version));
        if (match.Directory is not null) return CachedGoExecutable(match.Directory);
        refusals.Add(installed.Count == 0
            ? $"cache: nothing installed under {root}"
            : $"cache: {root} holds {string.Join(", ", installed.Select(x => x.Version))}, none satisfies");
        return null;
    }

    /// <summary>Every go on PATH, then $GOROOT/bin/go, links resolved, each once.</summary>
    private static IEnumerable<string> PathCandidates(string? goroot)
    {
        var candidates = PathSearch.OnPath("go").ToList();
        if (goroot is { Length: > 0 })
        {
            var fromGoRoot = Path.Combine(goroot, "bin", PathSearch.ExecutableName("go"));
            if (File.Exists(fromGoRoot)) candidates.Add(fromGoRoot);
        }

        return candidates.Select(PathSearch.Resolve).Distinct(StringComparer.Ordinal);
    }

    private static async Task<GoTool?> FromPathAsync(GoRequirement? requirement, string? goroot, List<string> refusals, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        foreach (var executable in PathCandidates(goroot))
        {
            GoTool tool;
            try
            {
                tool = await GoTool.FromExecutableAsync(executable, cancellationToken).ConfigureAwait(false);
            }
            catch (GoDebugException ex)
            {
                seen.Add($"{executable} (unusable: {ex.Message})");
                continue;
            }

            if (requirement is null || requirement.IsSatisfiedBy(tool.Version)) return tool;
            seen.Add($"{executable} is go {tool.Version}");
        }

        refusals.Add(seen.Count == 0 ? "path: no go on PATH or under $GOROOT/bin" : $"path: {string.Join("; ", seen)}; none satisfies");
        return null;
    }

    private static async Task<string> DownloadAsync(GoToolchainSettings settings, string cache, GoRequirement? requirement, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var baseUrl = GoDownloader.BaseUrl(settings.DownloadBaseUrl);
        var indexUrl = $"{baseUrl}/dl/?mode=json&include=all";
        var index = GoReleaseIndex.Parse(await GoDownloader.GetStringAsync(indexUrl, cancellationToken).ConfigureAwait(false), indexUrl);
        var platform = GoPlatform.Current;
        var (version, file) = GoReleaseIndex.Choose(index, requirement, platform)
            ?? throw new GoDebugException($"{indexUrl} lists no stable {platform} archive that satisfies {requirement?.ToString() ?? "any go"}.");
        var finalDirectory = Path.Combine(cache, "go", version.ToString());
        var url = $"{baseUrl}/dl/{Uri.EscapeDataString(file.FileName)}";
        var installed = await ToolchainCache.InstallOnceAsync(finalDirectory, async temp =>
        {
            var archive = AtomicFile.TempSibling(finalDirectory, "download");
            try
            {
                log.Info(string.Create(CultureInfo.InvariantCulture, $"Downloading go {version} for {platform} from {url} ({file.Size:N0} bytes) ..."));
                await GoDownloader.DownloadVerifiedAsync(url, archive, file.Sha256, settings.PlainOutput, log, cancellationToken).ConfigureAwait(false);
                await ArchiveExtractor.ExtractAsync(archive, file.FileName, temp, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                AtomicFile.TryDelete(archive);
            }

            if (!File.Exists(CachedGoExecutable(temp)))
            {
                throw new GoDebugException($"{url}: the archive has no go/bin/{PathSearch.ExecutableName("go")}; it is not a Go release archive.");
            }
        }, log, cancellationToken).ConfigureAwait(false);
        log.Info(installed ? $"Installed go {version} into {finalDirectory}." : $"go {version} is already in {finalDirectory}.");
        return CachedGoExecutable(finalDirectory);
    }

    private static async Task<Found?> FromAptAsync(GoRequirement? requirement, bool? update, AptPackages? apt, List<string> refusals, IGoDebugLog log, CancellationToken cancellationToken)
    {
        if (apt is null)
        {
            refusals.Add("apt: apt-cache is not on PATH (not a Debian/Ubuntu system)");
            return null;
        }

        // Asking apt-cache costs over a second; a Debian go already unpacked answers for itself.
        if (await InstalledDebianGoAsync(requirement, cancellationToken).ConfigureAwait(false) is { } unpacked)
        {
            log.Verbose($"Using the installed Debian go at {unpacked.Executable}.");
            return Probed(unpacked);
        }

        var stale = await apt.PrepareListsAsync(update, cancellationToken).ConfigureAwait(false);
        var names = (await apt.NamesAsync("golang-1.", cancellationToken).ConfigureAwait(false))
            .Where(n => VersionedPackage().IsMatch(n))
            .Append("golang-go")
            .ToList();
        var offers = (await apt.PolicyAsync(names, cancellationToken).ConfigureAwait(false))
            .Select(p => (Package: p, Version: GoVersion.TryParse(p.Installed ?? p.Candidate), Binary: AptBinary(p.Name)))
            .Where(o => o.Version is not null)
            .OrderByDescending(o => o.Version)
            .ToList();
        var satisfying = offers.Where(o => requirement is null || requirement.IsSatisfiedBy(o.Version!)).ToList();
        var installed = satisfying.FirstOrDefault(o => o.Package.Installed is not null && File.Exists(o.Binary));
        if (installed.Package is not null)
        {
            log.Verbose($"Using Debian package {installed.Package.Name} (go {installed.Version}), already installed.");
            return Unprobed(PathSearch.Resolve(installed.Binary));
        }

        if (satisfying.Count == 0)
        {
            // Lists never fetched, or older than a source added since, are the cause to name: backports may be on already.
            if (stale is not null)
            {
                refusals.Add($"apt: {stale}, so apt-cache cannot offer {requirement?.ToString() ?? "any Go"}; {AptLists.UpdateHint}");
                return null;
            }

            var best = offers.FirstOrDefault();
            var offered = best.Package is null ? "apt offers no Go package" : $"the newest Go apt offers is {best.Package.Name} (go {best.Version})";
            refusals.Add($"apt: {offered}, which does not satisfy {requirement}; to get newer ones {AptPackages.BackportsHint()}");
            return null;
        }

        if (!apt.CanInstall)
        {
            refusals.Add($"apt: {satisfying[0].Package.Name} would do, but {apt.CannotInstallReason}");
            return null;
        }

        var chosen = satisfying[0];
        await apt.InstallAsync(chosen.Package.Name, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(chosen.Binary))
        {
            throw new GoDebugException($"apt-get installed {chosen.Package.Name} but {chosen.Binary} does not exist.");
        }

        return Unprobed(PathSearch.Resolve(chosen.Binary));
    }

    private static async Task<GoTool?> InstalledDebianGoAsync(GoRequirement? requirement, CancellationToken cancellationToken)
    {
        foreach (var binary in InstalledDebianGos())
        {
            var tool = await GoTool.FromExecutableAsync(binary, cancellationToken).ConfigureAwait(false);
            if (requirement is null || requirement.IsSatisfiedBy(tool.Version)) return tool;
        }

        return null;
    }

    private static IEnumerable<string> InstalledDebianGos()
        => Directory.Exists("/usr/lib")
            ? Directory.EnumerateDirectories("/usr/lib", "go-1.*")
                .Select(d => (Version: GoVersion.TryParse(Path.GetFileName(d)[3..]), Binary: Path.Combine(d, "bin", "go")))
                .Where(x => x.Version is not null && File.Exists(x.Binary))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Binary)
                .ToList()
            : [];

    private static string AptBinary(string package)
    {
        var m = VersionedPackage().Match(package);
        return m.Success ? $"/usr/lib/go-{m.Groups["language"].Value}/bin/go" : "/usr/lib/go/bin/go";
    }

    private static async Task<GoToolchainResult> FinishAsync(Found found, GoSource source, GoRequirement? requirement, string workingDirectory, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var executable = found.Executable;
        var environment = GoTool.EnvironmentFor(executable);
        // From the workspace, so GOWORK shows the go.work later steps will use.
        string[] names = ["GOROOT", "GOPATH", "GOMODCACHE", "GOCACHE", "GOWORK"];
        var envTask = ProcessRunner.Default.RunAsync(new ProcessSpec(executable, ["env", .. names]) { Environment = environment, WorkingDirectory = Path.GetFullPath(workingDirectory) }, cancellationToken);
        // A source that already ran 'go version' is not asked again; otherwise both run at once, as this is
        // most of the cost of a call that finds go already installed.
        var probe = found.Probe ?? await GoTool.FromExecutableAsync(executable, cancellationToken).ConfigureAwait(false);
        var version = probe.Version;
        var envOutput = (await envTask.ConfigureAwait(false)).EnsureSuccess().StandardOutput;
        if (requirement is not null && !requirement.IsSatisfiedBy(version))
        {
            throw new GoDebugException($"{executable} reports go {version}, which does not satisfy {requirement}.");
        }

        log.Info($"Using {executable} ({source.ToString().ToLowerInvariant()}): {probe.VersionOutput}");
        var values = envOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        log.Info(string.Join("  ", names.Select((n, i) => $"{n}={(i < values.Length ? values[i] : string.Empty)}")));
        return new GoToolchainResult(probe.Executable, probe.GoRoot, version, source, environment);
    }

    [GeneratedRegex(@"^golang-(?<language>1\.\d+)-go$")]
    private static partial Regex VersionedPackage();
}
