using GoDebug.Tasks.Building;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>
/// A Debug binary is one a debugger can step through: the real dlv stops on a line inside
/// module-a's <c>greet.Hello</c>, a function small enough that the optimiser inlines it.
/// </summary>
/// <remarks>
/// The assertion compares both configurations under the same dlv script. In the Debug build dlv
/// places the breakpoint in <c>module-a.Hello</c> itself, prints no "optimized function" warning and
/// reads the argument <c>name</c>. In the Release build the same line only exists inlined into
/// <c>main.main</c>: dlv warns "debugging optimized function" and cannot read <c>name</c>. dlv's own
/// optimisation flag (from the DWARF producer string) is what distinguishes them, so the test fails
/// if the Debug flags ever stop reaching the compiler.
/// </remarks>
[TestFixture]
public sealed class DebugBuildTests
{
    private const string Optimized = "debugging optimized function";
    private const string NameValue = "\"  bob  \"";

    [Test]
    public async Task DlvStopsInsideAnInlinableFunctionOnlyUnoptimisedInDebug()
    {
        using var sample = new HelloSample();
        var debug = await sample.BuildOneAsync(sample.Settings("hello") with { Configuration = GoBuildConfiguration.Debug });
        var release = await sample.BuildOneAsync(sample.Settings("hello") with { Configuration = GoBuildConfiguration.Release });
        var script = sample.Write("dlv-init.txt", "break greet.go:8\ncontinue\nprint name\nexit\n");

        var debugOutput = await DlvAsync(debug, script, sample.Root);
        var releaseOutput = await DlvAsync(release, script, sample.Root);

        Assert.That(debugOutput, Does.Contain("module-a.Hello()").And.Contain("greet.go:8"), debugOutput);
        Assert.That(debugOutput, Does.Contain(NameValue).And.Not.Contain(Optimized), debugOutput);
        Assert.That(releaseOutput, Does.Contain(Optimized).And.Not.Contain(NameValue), releaseOutput);
    }

    private static async Task<string> DlvAsync(string binary, string script, string workingDirectory)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await ProcessRunner.Default.RunAsync(
            new ProcessSpec(RealTools.FindDlv(), ["exec", binary, "--check-go-version=false", "--allow-non-terminal-interactive=true", "--init", script])
            {
                WorkingDirectory = workingDirectory,
                Environment = new Dictionary<string, string?> { ["TERM"] = "dumb" },
            },
            timeout.Token);
        return result.StandardOutput + result.StandardError;
    }
}
