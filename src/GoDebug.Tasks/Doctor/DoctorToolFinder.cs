using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>Finds the go and dlv a user already has, looking only (Doctor must diagnose, never install).</summary>
internal static class DoctorToolFinder
{
    /// <summary>go on the snapshot's PATH, else one the toolchain step would use without installing (our cache, an unpacked Debian go).</summary>
    public static async Task<GoTool?> FindGoAsync(IReadOnlyDictionary<string, string?> env, string workspace, string? cacheDirectory, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var go = OnPath(env, "go");
        try
        {
            return go is not null
                ? await GoTool.FromExecutableAsync(go, cancellationToken).ConfigureAwait(false)
                : await GoInstaller.FindInstalledAsync(TryRequirement(workspace), cacheDirectory, cancellationToken).ConfigureAwait(false);
        }
        catch (GoDebugException ex)
        {
            log.Verbose($"Doctor: ignoring {go ?? "the installed go"}: {ex.Message}");
            return null;
        }
    }

    // A malformed requirement file is Doctor's finding to report (GODR003), not a reason to stop looking for go.
    private static GoRequirement? TryRequirement(string workspace)
    {
        try
        {
            return GoRequirementResolver.Resolve(null, workspace);
        }
        catch (GoDebugException)
        {
            return null;
        }
    }

    /// <summary>
    /// dlv where <c>go install</c> puts it (GOBIN, else the first GOPATH entry's bin), else on PATH, else the
    /// newest in our cache, where the Delve step installs it.
    /// </summary>
    public static string? FindDlv(IReadOnlyDictionary<string, string?> env, string? cacheDirectory)
    {
        var dlv = PathSearch.ExecutableName("dlv");
        var install = GoEnvironmentView.FromSnapshot(env).InstallDirectory;
        var installed = install is null ? null : Path.Combine(install, dlv);
        return installed is not null && File.Exists(installed) ? installed
            : OnPath(env, "dlv")
            ?? ToolchainCache.Installed(Path.Combine(ToolchainCache.Root(cacheDirectory), "dlv"), DelveInstaller.ParseDelveVersion)
                .Select(x => Path.Combine(x.Directory, dlv))
                .FirstOrDefault(File.Exists);
    }

    public static string? OnPath(IReadOnlyDictionary<string, string?> env, string name)
        => PathSearch.OnPath(name, DoctorEnvironment.Get(env, "PATH") ?? string.Empty).FirstOrDefault();
}
