using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>
/// A bare project in a folder of the test's choosing that imports the shipped props/targets, run by real MSBuild
/// (<c>dotnet msbuild -t:TARGET</c>) with the task assembly this test run built.
/// </summary>
internal static class TargetsProject
{
    /// <param name="directory">Where the project goes; relative paths in properties are taken from here.</param>
    /// <param name="target">The target to run.</param>
    /// <param name="properties">NAME=VALUE pairs, passed as -p:.</param>
    /// <param name="environment">Variables on top of this process's environment.</param>
    /// <param name="switches">Further msbuild switches (-getItem:NAME, ...).</param>
    public static async Task<ProcessResult> RunAsync(string directory, string target, IEnumerable<string> properties, IReadOnlyDictionary<string, string?>? environment = null, IEnumerable<string>? switches = null)
    {
        var build = Path.GetDirectoryName(RepoPaths.MSBuildTargets)!;
        var project = Path.Combine(directory, "consumer.proj");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(project, $"""
            <Project>
              <Import Project="{build}/GoDebug.Tasks.props" />
              <Import Project="{build}/GoDebug.Tasks.targets" />
            </Project>
            """);
        var arguments = new List<string> { "msbuild", project, "-t:" + target, "-nologo", "-nodeReuse:false", $"-p:GoDebugTasksAssembly={Path.Combine(AppContext.BaseDirectory, "GoDebug.Tasks.MSBuild.dll")}" };
        arguments.AddRange(properties.Select(p => "-p:" + p));
        arguments.AddRange(switches ?? []);
        return await ProcessRunner.Default.RunAsync(new ProcessSpec("dotnet", arguments) { WorkingDirectory = directory, Environment = environment ?? new Dictionary<string, string?>() }, CancellationToken.None);
    }
}
