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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
