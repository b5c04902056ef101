using GoDebug.Tasks.Processes;
using GoDebug.Tasks.MSBuild;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.MSBuild;

public class TaskInputsTests
{
    [Test]
    public async Task A_known_go_version_is_taken_without_running_go()
    {
        using var dir = new TempDir("taskinputs");
        // No file at this path: running it would throw, so the version can only come from the input.
        var missing = dir.Combine("bin", "go");

        var go = await TaskInputs.GoToolAsync(missing, "1.23.5", CancellationToken.None);

        Assert.That((go.Executable, go.Version), Is.EqualTo((missing, GoVersion.TryParse("1.23.5"))));
        Assert.That(go.Environment["GOROOT"], Is.EqualTo(dir.Path));
    }

    [Test]
    public async Task Without_a_known_version_go_version_is_asked()
    {
        var real = RealTools.FindGo();
        var version = await ReportedVersionAsync(real);

        var go = await TaskInputs.GoToolAsync(real, "", CancellationToken.None);

        Assert.That("go" + go.Version, Is.EqualTo(version));
    }

    private static async Task<string> ReportedVersionAsync(string go)
    {
        var result = await Processes.ProcessRunner.Default.RunAsync(go, ["version"], null, CancellationToken.None);
        return result.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
    }
}
