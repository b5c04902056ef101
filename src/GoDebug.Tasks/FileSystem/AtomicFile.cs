using System.Text;

namespace GoDebug.Tasks.FileSystem;

/// <summary>
/// Writes that a reader (or a second build running at the same time) never sees half done:
/// content goes to a temporary file in the same folder, then one rename replaces the target.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="content"/> unless the file already holds exactly that. Returns true when it wrote.</summary>
    public static bool WriteTextIfChanged(string path, string content)
    {
        if (File.Exists(path) && string.Equals(File.ReadAllText(path), content, StringComparison.Ordinal))
        {
            return false;
        }

        WriteAllBytes(path, Utf8NoBom.GetBytes(content));
        return true;
    }

    /// <summary>
    /// <paramref name="durable"/>: flush to disk before the rename, so a crash leaves the old file or the new one.
    /// A cache whose unreadable copy only costs a rebuild may skip that (an fsync took 2 to 70 ms here).
    /// </summary>
    public static void WriteAllText(string path, string content, bool durable = true) => WriteAllBytes(path, Utf8NoBom.GetBytes(content), durable);

    public static void WriteAllBytes(string path, byte[] content, bool durable = true) => Write(path, stream => stream.Write(content), durable);

    /// <summary>UTF-8 text written by <paramref name="write"/> as it goes (nothing held whole in memory), then renamed into place.</summary>
    public static void WriteText(string path, Action<TextWriter> write, bool durable = true)
        => Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true);
            write(writer);
        }, durable);

    private static void Write(string path, Action<Stream> write, bool durable)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = TempSibling(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Names that start with this are unfinished work (see <see cref="TempSibling"/>).</summary>
    public const string TempPrefix = ".";

    /// <summary>A unique name beside <paramref name="path"/>, so the final rename stays on one file system.</summary>
    public static string TempSibling(string path, string suffix = "tmp")
        => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $"{TempPrefix}{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.{suffix}");

    public static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
            else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file is harmless and has a unique name.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
