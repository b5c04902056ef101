using System.Formats.Tar;
using System.IO.Compression;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// Extracts a downloaded tar.gz or zip into an empty folder, refusing any entry that would land
/// outside it: <c>../</c> paths, absolute paths, links whose target resolves outside, and writes
/// through a link the archive itself created.
/// </summary>
internal static class ArchiveExtractor
{
    public static async Task ExtractAsync(string archivePath, string archiveName, string destination, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(destination);
        if (archiveName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            await ExtractZipAsync(archivePath, archiveName, root, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ExtractTarGzAsync(archivePath, archiveName, root, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExtractTarGzAsync(string archivePath, string archiveName, string root, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var target = Inside(root, root, entry.Name, archiveName, entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        PrepareParent(root, target, archiveName, entry.Name);
                        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                        {
                            if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                        }

                        SetMode(target, entry.Mode);
                        break;
                    case TarEntryType.SymbolicLink:
                        PrepareParent(root, target, archiveName, entry.Name);
                        Inside(root, Path.GetDirectoryName(target)!, entry.LinkName, archiveName, $"{entry.Name} -> {entry.LinkName}");
                        File.CreateSymbolicLink(target, entry.LinkName);
                        break;
                    case TarEntryType.HardLink:
                        PrepareParent(root, target, archiveName, entry.Name);
                        var source = Inside(root, root, entry.LinkName, archiveName, $"{entry.Name} => {entry.LinkName}");
                        File.Copy(source, target);
                        break;
                    case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                        break;
                    default:
                        throw new GoDebugException($"{archiveName}: entry '{entry.Name}' is a {entry.EntryType}, which a Go archive never contains; refusing to extract.");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new GoDebugException($"{archiveName}: not a valid tar.gz archive: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            // Duplicate entries, a hard link to an entry not yet extracted: not a well-formed release archive.
            throw new GoDebugException($"{archiveName}: cannot extract: {ex.Message}", ex);
        }
    }

    private static async Task ExtractZipAsync(string archivePath, string archiveName, string root, CancellationToken cancellationToken)
    {
        try
        {
            await using var zip = await ZipFile.OpenReadAsync(archivePath, cancellationToken).ConfigureAwait(false);
            foreach (var entry in zip.Entries)
            {
                var target = Inside(root, root, entry.FullName, archiveName, entry.FullName);
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(target);
                    continue;
                }

                PrepareParent(root, target, archiveName, entry.FullName);
                await entry.ExtractToFileAsync(target, overwrite: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new GoDebugException($"{archiveName}: not a valid zip archive: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The full path of <paramref name="path"/> (relative to <paramref name="baseDirectory"/>) when it
    /// stays under <paramref name="root"/>; otherwise an error naming the entry. Absolute paths never pass.
    /// </summary>
    private static string Inside(string root, string baseDirectory, string path, string archiveName, string entryDescription)
    {
        var full = Path.GetFullPath(Path.Combine(baseDirectory, path));
        if (Path.IsPathRooted(path) || !PathChecks.IsUnder(full, root))
        {
            throw new GoDebugException($"{archiveName}: entry '{entryDescription}' points outside the extraction folder; refusing to extract.");
        }

        return full;
    }

    /// <summary>Creates the entry's folder, refusing when a link the archive made earlier is on the way.</summary>
    private static void PrepareParent(string root, string target, string archiveName, string entryName)
    {
        var parent = Path.GetDirectoryName(target)!;
        for (var dir = parent; dir.Length > root.Length; dir = Path.GetDirectoryName(dir)!)
        {
            if (new FileInfo(dir).LinkTarget is not null)
            {
                throw new GoDebugException($"{archiveName}: entry '{entryName}' is written through the link '{Path.GetRelativePath(root, dir)}'; refusing to extract.");
            }
        }

        Directory.CreateDirectory(parent);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode & (UnixFileMode)0x1FF);
    }
}
