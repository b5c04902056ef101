using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// go.work sync on a generated 2,000-module tree against the go tool's own
/// <c>go work init &amp;&amp; go work use -r .</c>: wall time, and how many testdata modules each put
/// into the workspace. Also the no-op sync (nothing changed), the case every build hits.
/// </summary>
internal sealed class WorkspaceBench : IBenchmark
{
    private const int Modules = 2000;

    public string Name => "workspace";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var go = await GoTool.FromExecutableAsync(context.GoExecutable, cancellationToken).ConfigureAwait(false);
        var ours = Path.Combine(context.ScratchDirectory, "ours");
        var theirs = Path.Combine(context.ScratchDirectory, "go");
        var planted = WorkspaceTreeGenerator.Generate(ours, Modules);
        WorkspaceTreeGenerator.Generate(theirs, Modules);
        var log = new RecordingLog();
        var settings = new GoWorkSyncSettings { Workspace = ours };

        var oursMs = await Stopwatches.OnceMsAsync(() => GoWorkSynchronizer.SyncAsync(settings, go, log, cancellationToken)).ConfigureAwait(false);
        var goMs = await Stopwatches.OnceMsAsync(async () =>
        {
            (await go.RunAsync(["work", "init"], theirs, cancellationToken).ConfigureAwait(false)).EnsureSuccess();
            (await go.RunAsync(["work", "use", "-r", "."], theirs, cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        }).ConfigureAwait(false);

        var oursWork = GoModParser.ReadWork(Path.Combine(ours, "go.work"));
        var goWork = GoModParser.ReadWork(Path.Combine(theirs, "go.work"));
        var oursBogus = oursWork.Use.Count(IsTestdata);
        var goBogus = goWork.Use.Count(IsTestdata);

        var mtime = File.GetLastWriteTimeUtc(Path.Combine(ours, "go.work"));
        var noopMs = await Stopwatches.MedianMsAsync(5, () => GoWorkSynchronizer.SyncAsync(settings, go, log, cancellationToken)).ConfigureAwait(false);
        var goNoopMs = await Stopwatches.MedianMsAsync(3, async () =>
            (await go.RunAsync(["work", "use", "-r", "."], theirs, cancellationToken).ConfigureAwait(false)).EnsureSuccess()).ConfigureAwait(false);
        var untouched = File.GetLastWriteTimeUtc(Path.Combine(ours, "go.work")) == mtime;

        return
        [
            new BenchRow(Name, $"sync {Modules:N0} modules, no go.work yet (baseline: go work init && go work use -r .)", oursMs, goMs,
                $"use entries: ours {oursWork.Use.Count}, go {goWork.Use.Count}; bogus testdata entries: ours {oursBogus}, go {goBogus} (of {planted} planted); go line: ours {oursWork.Go}, go {goWork.Go}"),
            new BenchRow(Name, "no-op sync, nothing changed (baseline: go work use -r . again)", noopMs, goNoopMs,
                $"median of 5 (go: 3); go.work mtime unchanged: {(untouched ? "yes" : "NO")}"),
        ];
    }

    private static bool IsTestdata(WorkUse use) => use.DiskPath.Split('/').Contains("testdata");
}
