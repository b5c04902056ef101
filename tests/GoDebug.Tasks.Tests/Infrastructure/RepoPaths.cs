namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>Paths inside this repository, found from the test assembly's location.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleWorkspace => Path.Combine(Root, "samples", "workspace");

    public static string BuildScript => Path.Combine(Root, "build.sh");

    /// <summary>The engine: capability folders only, no Cake or MSBuild type.</summary>
    public static string Engine => Path.Combine(Root, "src", "GoDebug.Tasks");

    /// <summary>The MSBuild task pack's props and targets (package GoDebug.Tasks).</summary>
    public static string MSBuildTargets => Path.Combine(Root, "src", "GoDebug.Tasks.MSBuild", "build", "GoDebug.Tasks.targets");

    /// <summary>
    /// The Cake targets users get: `dotnet new godebug` writes this file as build/godebug.cake, and this repository's
    /// build/build.cake loads it.
    /// </summary>
    public static string CakeTasks => Path.Combine(Root, "src", "GoDebug.Templates", "content", "godebug", "build", "godebug.cake");

    /// <summary>The engine and the two front ends over it.</summary>
    public static IReadOnlyList<string> SourceProjects { get; } =
        [Engine, Path.Combine(Root, "src", "Cake.GoDebug"), Path.Combine(Root, "src", "GoDebug.Tasks.MSBuild")];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GoDebug.Tasks.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("GoDebug.Tasks.sln not found above " + AppContext.BaseDirectory);
    }
}
