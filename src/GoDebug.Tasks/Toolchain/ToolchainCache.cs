using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// The per-user cache that holds installed toolchains (<c>go/&lt;version&gt;/go</c>, <c>dlv/&lt;version&gt;/dlv</c>)
/// and the rules every install into it follows: work in a temp folder beside the final one, hold a
/// cross-process lock per version, and rename into place only when complete.
/// </summary>
internal static class ToolchainCache
{
    public static string Root(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        var own = Environment.GetEnvironmentVariable("GDTASKS_CACHE");
        if (!string.IsNullOrWhiteSpace(own)) return Path.GetFullPath(own);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(Path.GetFullPath(baseDir), "godebug-tasks");
    }

    /// <summary>Sub-folders of <paramref name="directory"/> that are finished installs, newest version first.</summary>
    public static IEnumerable<(T Version, string Directory)> Installed<T>(string directory, Func<string, T?> parse)
        where T : class, IComparable<T>
    {
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateDirectories(directory)
            .Where(d => !Path.GetFileName(d).StartsWith(AtomicFile.TempPrefix, StringComparison.Ordinal))
            .Select(d => (Version: parse(Path.GetFileName(d)), Directory: d))
            .Where(x => x.Version is not null)
            .Select(x => (x.Version!, x.Directory))
            .OrderByDescending(x => x.Item1)
            .ToList();
    }

    /// <summary>
    /// Makes <paramref name="finalDirectory"/> exist exactly once across processes: under the lock, an
    /// existing folder wins; otherwise <paramref name="populate"/> fills a temp folder beside it, which is
    /// renamed into place. On any failure or cancellation the temp folder is removed.
    /// Returns true when this call installed it, false when it was already there.
    /// </summary>
    public static async Task<bool> InstallOnceAsync(
        string finalDirectory,
        Func<string, Task> populate,
        IGoDebugLog log,
        CancellationToken cancellationToken)
    {
        await using var gate = await FileLock.AcquireAsync(finalDirectory + ".lock", log, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(finalDirectory)) return false;
        var temp = AtomicFile.TempSibling(finalDirectory);
        try
        {
            Directory.CreateDirectory(temp);
            await populate(temp).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            Directory.Move(temp, finalDirectory);
            return true;
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }
}
