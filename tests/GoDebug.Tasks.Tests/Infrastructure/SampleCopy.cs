namespace GoDebug.Tasks.Tests.Infrastructure;

internal static class SampleCopy
{
    /// <summary>Copies samples/workspace into <paramref name="destination"/> (sources only) so a test may change and build it.</summary>
    public static string Workspace(string destination)
    {
        Copy(RepoPaths.SampleWorkspace, destination, [".godebug", ".vscode"]);
        return destination;
    }

    /// <summary>
    /// Copies samples/monorepo into <paramref name="destination"/> without build outputs, Go outputs and a
    /// local feed or package folder someone may have filled by hand, so a test restores and builds it afresh.
    /// </summary>
    public static string Monorepo(string destination)
    {
        Copy(Path.Combine(RepoPaths.Root, "samples", "monorepo"), destination, ["bin", "obj", ".godebug", "feed", "packages"]);
        return destination;
    }

    private static void Copy(string from, string to, IReadOnlyCollection<string> skipped)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (skipped.Contains(name)) continue;
            Copy(dir, Path.Combine(to, name), skipped);
        }
    }
}
