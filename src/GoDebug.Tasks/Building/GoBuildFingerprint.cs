using System.Security.Cryptography;
using System.Text;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Building;

/// <summary>
/// Content hashes with a size+mtime fast path, and the fingerprints built from them. A file whose
/// size and modification time match its recorded stamp is not read again.
/// </summary>
internal sealed class GoBuildFingerprint(IReadOnlyDictionary<string, FileStamp> previous)
{
    private readonly Dictionary<string, FileStamp> _stamps = new(StringComparer.Ordinal);

    /// <summary>Stamps of every file hashed so far, for the next build's state.</summary>
    public IReadOnlyDictionary<string, FileStamp> Stamps => _stamps;

    /// <summary>The file's stamp, hashing its content only when size or mtime moved; null when it does not exist.</summary>
    public FileStamp? Stamp(string path)
    {
        if (_stamps.TryGetValue(path, out var known)) return known;
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        var length = info.Length;
        var ticks = info.LastWriteTimeUtc.Ticks;
        var stamp = previous.TryGetValue(path, out var old) && old.Length == length && old.LastWriteUtcTicks == ticks
            ? old
            : HashFile(path, length, ticks);
        _stamps[path] = stamp;
        return stamp;
    }

    /// <summary>
    /// The fingerprint of a target: its configuration key (which carries the Go version) and the
    /// content of each input file. Missing files count as absent, so creating one changes it.
    /// </summary>
    public string Compute(IReadOnlyList<string> configurationKey, IEnumerable<string> files)
    {
        var text = new StringBuilder();
        foreach (var line in configurationKey) text.Append(line).Append('\n');
        foreach (var file in files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (Stamp(file) is { } stamp) text.Append(file).Append('\0').Append(stamp.Sha256).Append('\n');
        }

        return HashText(text.ToString());
    }

    public static string HashText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string HashLines(IEnumerable<string> lines) => HashText(string.Join('\n', lines));

    /// <summary>Hash of a directory's file names (not contents): a new or removed file changes it. Empty when the directory is gone.</summary>
    public static string HashDirectoryListing(string directory)
        => Directory.Exists(directory)
            ? HashLines(Directory.EnumerateFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
            : string.Empty;

    /// <summary>Hash of the non-test .go file names in a module's packages (<see cref="ModuleDiscovery.GoFilesOfModule"/>): a new main package anywhere changes it.</summary>
    public static string HashModuleTree(string moduleDirectory, CancellationToken cancellationToken)
        => HashLines(ModuleDiscovery.GoFilesOfModule(moduleDirectory, cancellationToken).Where(f => !f.EndsWith("_test.go", StringComparison.Ordinal)));

    private static FileStamp HashFile(string path, long length, long ticks)
    {
        byte[] content;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan))
        {
            if (!path.EndsWith(".go", StringComparison.Ordinal)) return new FileStamp(length, ticks, Convert.ToHexStringLower(SHA256.HashData(stream)));
            content = new byte[stream.Length];
            stream.ReadExactly(content);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        // A file that does not scan gets a header that changes with every edit: go list then decides.
        var header = GoSourceHeader.Extract(Encoding.UTF8.GetString(content));
        return new FileStamp(length, ticks, sha, header is null ? "unscanned:" + sha : HashText(header));
    }
}
