using System.Net.Sockets;
using System.Text.Json;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>
/// How far the installed dlv is behind Delve's latest release (GitHub's releases/latest of go-delve/delve,
/// through Octokit). The answer is cached for a day in our cache folder. Doctor must stay fast offline: the
/// API host gets a short connect probe first, the whole check has a 3 s budget, and any failure reads
/// "unknown" rather than slowing or failing Doctor.
/// </summary>
internal static class DelveReleaseCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromDays(1);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A notice comparing <paramref name="dlvExecutable"/> with Delve's latest release; null when there is no dlv to compare.</summary>
    public static async Task<GoDoctorFinding?> CheckAsync(string? dlvExecutable, string? cacheDirectory, GoDebugHost host, CancellationToken cancellationToken)
    {
        if (dlvExecutable is null) return null;
        var output = await host.Processes.RunAsync(dlvExecutable, ["version"], null, cancellationToken).ConfigureAwait(false);
        var installed = output.Succeeded ? DelveInstaller.ParseVersionOutput(output.StandardOutput) : null;
        if (installed is null) return null;

        var cachePath = Path.Combine(ToolchainCache.Root(cacheDirectory), "github", "delve-latest.json");
        var latest = ReadCache(cachePath, host.Time);
        if (latest is null)
        {
            (latest, var why) = await FetchAsync(host, cancellationToken).ConfigureAwait(false);
            if (latest is null)
            {
                return new GoDoctorFinding(GoDiagnosticSeverity.Notice, CiCodes.DelveBehind, $"dlv {installed}: Delve's latest release is unknown ({why}).", FixHint.Text("None needed; Doctor asks GitHub again next run."));
            }

            AtomicFile.WriteAllText(cachePath, JsonSerializer.Serialize(new CacheFile(latest.ToString(), host.Time.GetUtcNow())));
        }

        if (installed >= latest)
        {
            return new GoDoctorFinding(GoDiagnosticSeverity.Notice, CiCodes.DelveBehind, $"dlv {installed} is Delve's latest release.", FixHint.Text("None needed."));
        }

        var distance = installed.Major != latest.Major ? $"{latest.Major - installed.Major} major version(s)"
            : installed.Minor != latest.Minor ? $"{latest.Minor - installed.Minor} minor release(s)"
            : $"{latest.Build - installed.Build} patch release(s)";
        return new GoDoctorFinding(
            GoDiagnosticSeverity.Notice,
            CiCodes.DelveBehind,
            $"dlv {installed} is {distance} behind Delve's latest release {latest}: newer releases support newer Go versions and fix debugger bugs.",
            FixHint.Run(GoStep.Delve, new SettingValue(GoSetting.DelveSource, nameof(DelveSource.GoInstall)), new SettingValue(GoSetting.DelveVersion, $"v{latest}"))
                .Or($"go install github.com/go-delve/delve/cmd/dlv@v{latest}"));
    }

    private static async Task<(Version? Latest, string? Why)> FetchAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var api = GitHubApi.BaseAddress(host.Environment);
        using var budget = new CancellationTokenSource(Budget, host.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        try
        {
            // A proxy decides reachability itself; without one, an offline machine answers a connect at once.
            if (host.Environment.Get("HTTPS_PROXY") is null && host.Environment.Get("https_proxy") is null && !await ReachableAsync(api, host.Time, linked.Token).ConfigureAwait(false))
            {
                return (null, $"{api.Host}:{api.Port} is unreachable");
            }

            var client = GitHubApi.Create(api, host.Environment.Get("GITHUB_TOKEN"), Budget);
            var release = await client.Repository.Release.GetLatest("go-delve", "delve").WaitAsync(linked.Token).ConfigureAwait(false);
            return DelveInstaller.ParseDelveVersion(release.TagName) is { } v ? (v, null) : (null, $"the latest release's tag '{release.TagName}' is not a version");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"GitHub at {api} did not answer within {Budget.TotalSeconds:0} s");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && PullRequestComment.Explain(ex, "go-delve/delve", 0, api, host.Time) is { } problem)
        {
            return (null, problem);
        }
    }

    private static async Task<bool> ReachableAsync(Uri api, TimeProvider time, CancellationToken cancellationToken)
    {
        using var probe = new CancellationTokenSource(ProbeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(probe.Token, cancellationToken);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(api.Host, api.Port, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static Version? ReadCache(string path, TimeProvider time)
    {
        try
        {
            var cache = File.Exists(path) ? JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(path)) : null;
            if (cache is null || time.GetUtcNow() - cache.CheckedAt > CacheFor || cache.CheckedAt > time.GetUtcNow()) return null;
            return DelveInstaller.ParseDelveVersion(cache.Latest);
        }
        catch (JsonException)
        {
            // A damaged cache is only a missed shortcut.
            return null;
        }
    }

    private sealed record CacheFile(string Latest, DateTimeOffset CheckedAt);
}
