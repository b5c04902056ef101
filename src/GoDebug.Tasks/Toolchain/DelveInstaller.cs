using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// Finds or installs Delve for the Go toolchain in use: an installed dlv (GOBIN, GOPATH/bin, PATH,
/// our cache) at or above the minimum, else <c>go install</c> into our cache, else Debian's delve.
/// </summary>
internal static partial class DelveInstaller
{
    public const string ModulePath = "github.com/go-delve/delve";

    /// <summary>
    /// The newest Go each Delve minor release accepts without <c>--check-go-version=false</c>
    /// (Delve's pkg/goversion bounds). Delve 1.7-1.9 covered Go 1.17-1.19, the numbers 1.10-1.19 were
    /// skipped, and since 1.20 every Delve 1.N tracks Go 1.N. A dlv newer than the last row is assumed to
    /// support the Go in use; one older than the first row, at most Go 1.16.
    /// </summary>
    private static readonly (Version Delve, GoVersion NewestGo)[] SupportTable =
    [
        (new Version(1, 7), GoVersion.Parse("1.17")),
        (new Version(1, 8), GoVersion.Parse("1.18")),
        (new Version(1, 9), GoVersion.Parse("1.19")),
        (new Version(1, 20), GoVersion.Parse("1.20")),
        (new Version(1, 21), GoVersion.Parse("1.21")),
        (new Version(1, 22), GoVersion.Parse("1.22")),
        (new Version(1, 23), GoVersion.Parse("1.23")),
        (new Version(1, 24), GoVersion.Parse("1.24")),
        (new Version(1, 25), GoVersion.Parse("1.25")),
    ];

    private static readonly GoVersion NewestGoBeforeTable = GoVersion.Parse("1.16");

    public static Task<DelveResult> EnsureAsync(DelveSettings settings, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
        => EnsureAsync(settings, go, host, null, cancellationToken);

    /// <summary>As above, asking <paramref name="apt"/> for Debian's delve (null: apt as this machine has it for the step).</summary>
    internal static async Task<DelveResult> EnsureAsync(DelveSettings settings, GoTool go, GoDebugHost host, AptPackages? apt, CancellationToken cancellationToken)
    {
        var log = host.Log;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(go);
        var minimum = ParseDelveVersion(settings.MinimumVersion)
            ?? throw new GoDebugException($"Delve MinimumVersion '{settings.MinimumVersion}' is not a version (expected e.g. 1.20.0).");
        var cache = Path.Combine(ToolchainCache.Root(settings.CacheDirectory), "dlv");
        var refusals = new List<string>();
        var sources = settings.Source == DelveSource.Auto ? [DelveSource.Existing, DelveSource.GoInstall, DelveSource.Apt] : new[] { settings.Source };
        for (var i = 0; i < sources.Length; i++)
        {
            var source = sources[i];
            var before = refusals.Count;
            void FallBack()
            {
                if (i + 1 < sources.Length && refusals.Count > before) SourceChain.FallingBack(log, refusals[^1], Describe(sources[i + 1]));
            }

            (string Executable, Version Version)? found;
            try
            {
                found = source switch
                {
                    DelveSource.Existing => await FindExistingAsync(go, cache, minimum, refusals, cancellationToken).ConfigureAwait(false),
                    DelveSource.GoInstall => await GoInstallAsync(settings, go, cache, host, cancellationToken).ConfigureAwait(false),
                    DelveSource.Apt => await FromAptAsync(settings.AptUpdate, apt ??= await AptPackages.OpenAsync(host, cancellationToken).ConfigureAwait(false), refusals, cancellationToken).ConfigureAwait(false),
                    _ => throw new GoDebugException($"Unknown Delve source '{source}'."),
                };
            }
            catch (GoDebugException ex) when (settings.Source == DelveSource.Auto)
            {
                refusals.Add($"{Describe(source)}: {ex.Message}");
                FallBack();
                continue;
            }

            if (found is { } dlv)
            {
                if (dlv.Version < minimum && source != DelveSource.Existing)
                {
                    refusals.Add($"{Describe(source)}: {dlv.Executable} is dlv {dlv.Version}, older than the minimum {minimum}");
                    FallBack();
                    continue;
                }

                var supports = Supports(dlv.Version, go.Version);
                log.Info($"Using dlv {dlv.Version} at {dlv.Executable} ({Describe(source)}).");
                if (!supports)
                {
                    log.Warning($"dlv {dlv.Version} predates go {go.Version}; later steps pass --check-go-version=false. For full support: {host.Hints.Render(FixHint.Run(GoStep.Delve, new SettingValue(GoSetting.DelveSource, nameof(DelveSource.GoInstall))))}.");
                }

                return new DelveResult(dlv.Executable, dlv.Version.ToString(), supports, source);
            }

            FallBack();
        }

        throw new GoDebugException(SourceChain.Tried($"No dlv {minimum} or later found or installed.", refusals));
    }

    /// <summary>True when dlv <paramref name="delve"/> accepts go <paramref name="go"/> without --check-go-version=false.</summary>
    internal static bool Supports(Version delve, GoVersion go)
        => NewestSupportedGo(delve) is not { } newest || go.Language <= newest;

    /// <summary>The newest Go language version dlv <paramref name="delve"/> accepts; null when it is newer than the table.</summary>
    internal static GoVersion? NewestSupportedGo(Version delve)
    {
        var release = new Version(delve.Major, delve.Minor);
        if (release > SupportTable[^1].Delve) return null;
        var row = SupportTable.LastOrDefault(r => r.Delve <= release);
        return row.NewestGo ?? NewestGoBeforeTable;
    }

    /// <summary>"Delve Debugger\nVersion: 1.20.2\nBuild: ..." → 1.20.2.</summary>
    internal static Version? ParseVersionOutput(string output)
    {
        var m = VersionLine().Match(output);
        return m.Success ? ParseDelveVersion(m.Groups["version"].Value) : null;
    }

    internal static Version? ParseDelveVersion(string? text)
    {
        var trimmed = text?.Trim().TrimStart('v');
        return Version.TryParse(trimmed, out var v) ? new Version(v.Major, v.Minor, Math.Max(v.Build, 0)) : null;
    }

    private static async Task<(string, Version)?> FindExistingAsync(GoTool go, string cache, Version minimum, List<string> refusals, CancellationToken cancellationToken)
    {
        var env = (await go.RunAsync(["env", "GOBIN", "GOPATH"], null, cancellationToken).ConfigureAwait(false)).EnsureSuccess()
            .StandardOutput.Split('\n').Select(l => l.Trim()).ToArray();
        var dlv = PathSearch.ExecutableName("dlv");
        var candidates = new List<string>();
        if (env.Length > 0 && env[0].Length > 0) candidates.Add(Path.Combine(env[0], dlv));
        if (env.Length > 1)
        {
            candidates.AddRange(env[1].Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(p, "bin", dlv)));
        }

        candidates.AddRange(PathSearch.OnPath("dlv"));
        candidates.AddRange(ToolchainCache.Installed(cache, ParseDelveVersion).Select(x => Path.Combine(x.Directory, dlv)));
        var seen = new List<string>();
        foreach (var candidate in candidates.Where(File.Exists).Select(PathSearch.Resolve).Distinct(StringComparer.Ordinal))
        {
            var version = await VersionOfAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                seen.Add($"{candidate} (no version in 'dlv version')");
            }
            else if (version >= minimum)
            {
                return (candidate, version);
            }
            else
            {
                seen.Add($"{candidate} is dlv {version}");
            }
        }

        refusals.Add(seen.Count == 0
            ? "existing: no dlv in GOBIN, GOPATH/bin, PATH or " + cache
            : $"existing: {string.Join("; ", seen)}; minimum is {minimum}");
        return null;
    }

    private static async Task<(string, Version)?> GoInstallAsync(DelveSettings settings, GoTool go, string cache, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        var requested = settings.Version.Trim();
        var dlv = PathSearch.ExecutableName("dlv");
        var pinned = ParseDelveVersion(requested);
        Directory.CreateDirectory(cache);
        // The version "latest" resolves to is known only after the build, so the lock is on what was asked for.
        await using var gate = await FileLock.AcquireAsync(Path.Combine(cache, $"install-{(pinned?.ToString() ?? requested)}.lock"), log, cancellationToken).ConfigureAwait(false);
        var cached = pinned is null ? null : Path.Combine(cache, pinned.ToString(), dlv);
        if (cached is not null && File.Exists(cached))
        {
            return (cached, await VersionOfAsync(cached, cancellationToken).ConfigureAwait(false) ?? pinned!);
        }

        var bin = AtomicFile.TempSibling(Path.Combine(cache, "install"));
        try
        {
            var target = $"{ModulePath}/cmd/dlv@{requested}";
            log.Info($"Installing {target} with go {go.Version} ...");
            var spec = go.Command(["install", target], cache, new Dictionary<string, string?> { ["GOBIN"] = bin });
            (await host.Processes.RunAsync(spec, cancellationToken).ConfigureAwait(false)).EnsureSuccess();
            var built = Path.Combine(bin, dlv);
            var version = await VersionOfAsync(built, cancellationToken).ConfigureAwait(false)
                ?? throw new GoDebugException($"'go install {target}' built {built}, but its 'dlv version' names no version.");
            var final = Path.Combine(cache, version.ToString());
            try
            {
                Directory.Move(bin, final);
            }
            catch (IOException) when (File.Exists(Path.Combine(final, dlv)))
            {
                // A concurrent install that asked for another spelling (latest vs v1.x.y) got there first.
            }

            log.Info($"dlv {version} is in {final}.");
            return (Path.Combine(final, dlv), version);
        }
        finally
        {
            AtomicFile.TryDelete(bin);
        }
    }

    private static async Task<(string, Version)?> FromAptAsync(bool? update, AptPackages? apt, List<string> refusals, CancellationToken cancellationToken)
    {
        if (apt is null || !apt.CanInstall)
        {
            refusals.Add($"apt: {apt?.CannotInstallReason ?? "apt-get is not on PATH (not a Debian/Ubuntu system)"}");
            return null;
        }

        if (await apt.PrepareListsAsync(update, cancellationToken).ConfigureAwait(false) is { } stale)
        {
            refusals.Add($"apt: {stale}, so apt-get cannot install delve; {AptLists.UpdateHint}");
            return null;
        }

        await apt.InstallAsync("delve", cancellationToken).ConfigureAwait(false);
        var installed = PathSearch.OnPath("dlv").FirstOrDefault() ?? "/usr/bin/dlv";
        var version = await VersionOfAsync(installed, cancellationToken).ConfigureAwait(false)
            ?? throw new GoDebugException($"apt-get installed delve but '{installed} version' names no version.");
        return (installed, version);
    }

    private static async Task<Version?> VersionOfAsync(string dlv, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.Default.RunAsync(dlv, ["version"], null, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? ParseVersionOutput(result.StandardOutput) : null;
    }

    private static string Describe(DelveSource source) => source switch
    {
        DelveSource.GoInstall => "go install",
        _ => source.ToString().ToLowerInvariant(),
    };

    [GeneratedRegex(@"^Version:\s*v?(?<version>\d+\.\d+(?:\.\d+)?)", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
