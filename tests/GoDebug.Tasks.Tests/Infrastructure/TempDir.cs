namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>A scratch folder deleted when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gdt-{prefix ?? "t"}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating folders) and returns its full path.</summary>
    public string Write(string relative, string content)
    {
        var full = Combine(relative.Split('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>Writes a script the owner may run (tests stand tools in with shell scripts) and returns its full path.</summary>
    public string WriteExecutable(string relative, string content)
    {
        var full = Write(relative, content);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("The tests' tool stand-ins are shell scripts.");
        File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return full;
    }

    public void Dispose() => DeleteTree(Path);

    /// <summary>
    /// Deletes <paramref name="path"/> and everything under it, including the read-only folders of a Go module
    /// cache. Cleanup never fails a test: what a still-running process holds is left.
    /// </summary>
    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path)) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (UnauthorizedAccessException) when (!OperatingSystem.IsWindows())
        {
            foreach (var dir in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Prepend(path))
            {
                File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            TryDelete(path);
        }
        catch (IOException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
