using System.Globalization;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Incremental builds of a generated 200-module workspace against plain go build in the same run:
/// a no-op build (ours: one stat pass over the recorded inputs; baseline: <c>go build ./...</c> in each
/// module) and a one-file change (ours: rebuild of that target; baseline: <c>go build</c> of the same
/// package with the same Debug flags).
/// </summary>
internal sealed class BuildBench : IBenchmark
{
    private const int Modules = 200;
    private const int ChangeRuns = 11;

    public string Name => "build";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var go = await GoTool.FromExecutableAsync(context.GoExecutable, cancellationToken).ConfigureAwait(false);
        var root = Path.Combine(context.ScratchDirectory, "workspace");
        GeneratedWorkspace.Write(root, Modules);
        var settings = new GoBuildSettings { Workspace = root, Configuration = GoBuildConfiguration.Debug };
        var log = new RecordingLog();

        Console.WriteLine($"  first build of {Modules} targets (not timed against anything)...");
        var firstMs = await Stopwatches.OnceMsAsync(() => BuildOrThrowAsync(settings, go, log, cancellationToken)).ConfigureAwait(false);

        var ours = await Stopwatches.MedianMsAsync(5, async () =>
        {
            var result = await BuildOrThrowAsync(settings, go, log, cancellationToken).ConfigureAwait(false);
            if (result.Targets.Any(t => !t.Skipped)) throw new InvalidOperationException("a no-op build rebuilt something");
        }).ConfigureAwait(false);
        var baseline = await Stopwatches.OnceMsAsync(async () =>
        {
            for (var i = 0; i < Modules; i++)
            {
                await RunGoAsync(go, ["build", "./..."], GeneratedWorkspace.ModuleDirectory(root, i), cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        // go build ./... of a module with one main package writes that binary into the module folder; one
        // untimed build takes in those new directory listings so the edits below start from a no-op state.
        await BuildOrThrowAsync(settings, go, log, cancellationToken).ConfigureAwait(false);

        // Fresh edits of the same file for each side, so neither meets a warm compile cache; who goes first
        // alternates, so a neighbour's load on this shared machine does not always land on one side.
        const int target = 7;
        var file = Path.Combine(GeneratedWorkspace.ModuleDirectory(root, target), "util.go");
        var plainOutput = Path.Combine(context.ScratchDirectory, "plain") + Path.DirectorySeparatorChar;
        var oursChange = new List<double>();
        var plainChange = new List<double>();
        for (var run = 0; run < ChangeRuns; run++)
        {
            for (var side = 0; side < 2; side++)
            {
                var oursNow = (run + side) % 2 == 0;
                await File.AppendAllTextAsync(file, $"\nvar _ = \"{(oursNow ? "ours" : "plain")} {run}\"\n", cancellationToken).ConfigureAwait(false);
                if (oursNow)
                {
                    oursChange.Add(await Stopwatches.OnceMsAsync(async () =>
                    {
                        var result = await BuildOrThrowAsync(settings, go, log, cancellationToken).ConfigureAwait(false);
                        if (result.Targets.Count(t => !t.Skipped) != 1) throw new InvalidOperationException("a one-file change rebuilt more than its target");
                    }).ConfigureAwait(false));
                }
                else
                {
                    plainChange.Add(await Stopwatches.OnceMsAsync(() => RunGoAsync(go, ["build", GoBuildOptions.DebugGcFlags, "-o", plainOutput, GeneratedWorkspace.ModulePath(target)], root, cancellationToken)).ConfigureAwait(false));
                }
            }
        }

        return
        [
            new BenchRow("build", $"first build, {Modules} modules (Debug)", firstMs, null, "one go build for every target"),
            new BenchRow("build", $"no-op build, {Modules} modules", ours, baseline, $"baseline: go build ./... in each module; goal >= 20x: {(baseline >= 20 * ours ? "met" : "missed")}"),
            new BenchRow("build", "one-file change, 1 of 200 targets", Median(oursChange), Median(plainChange), string.Create(CultureInfo.InvariantCulture, $"baseline: go build -gcflags=all=-N -l of that package; goal: within 10% (median of {ChangeRuns}): {(Median(oursChange) <= 1.1 * Median(plainChange) ? "met" : "missed")}")),
        ];
    }

    private static async Task<GoBuildResult> BuildOrThrowAsync(GoBuildSettings settings, GoTool go, RecordingLog log, CancellationToken cancellationToken)
    {
        var result = await GoBuilder.BuildAsync(settings, go, log, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) throw new InvalidOperationException("bench build failed: " + string.Join("\n", result.Diagnostics));
        return result;
    }

    private static async Task RunGoAsync(GoTool go, IReadOnlyList<string> args, string directory, CancellationToken cancellationToken)
        => (await ProcessRunner.Default.RunAsync(go.Command(args, directory), cancellationToken).ConfigureAwait(false)).EnsureSuccess();

    private static double Median(List<double> samples)
    {
        samples.Sort();
        return samples[samples.Count / 2];
    }
}
