namespace GoDebug.Tasks.Tests.Infrastructure;

internal static class SampleCopy
{
    /// <summary>Copies samples/workspace into <paramref name="destination"/> (sources only) so a test may change and build it.</summary>
    public static string Workspace(string destination)
    {
        Copy(RepoPaths.SampleWorkspace, destination);
        return destination;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is ".godebug" or ".vscode") continue;
            Copy(dir, Path.Combine(to, name));
        }
    }
}
