namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>Paths inside this repository, found from the test assembly's location.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleWorkspace => Path.Combine(Root, "samples", "workspace");

    public static string BuildScript => Path.Combine(Root, "build.sh");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GoDebug.Tasks.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("GoDebug.Tasks.sln not found above " + AppContext.BaseDirectory);
    }
}
