using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>Debug builds of the sample app made once per test run with the real go (test setup, not the engine under test).</summary>
internal static class SampleBinaries
{
    private static readonly Lazy<Task<string>> LazyApp = new(BuildAppAsync);

    /// <summary>One folder per test run; <see cref="TestRunCleanup"/> removes it when the run ends.</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), $"gdt-sample-app-{Environment.ProcessId}");

    public static Task<string> DebugAppAsync() => LazyApp.Value;

    private static async Task<string> BuildAppAsync()
    {
        var go = await RealTools.GoAsync();
        var output = Path.Combine(Folder, "app");
        var result = await ProcessRunner.Default.RunAsync(
            go.Command(["build", "-gcflags=all=-N -l", "-o", output, "."], Path.Combine(RepoPaths.SampleWorkspace, "app")),
            CancellationToken.None);
        result.EnsureSuccess();
        return output;
    }
}
