using System.Globalization;
using System.Runtime.InteropServices;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Affected-matrix planning on a generated repository of 2,000 Go modules (a tree of requires: module i
/// requires module i/10) and 50 .NET projects (each building one module, half referencing another project),
/// with a 100-file diff, beside <c>go list -deps</c> over the same modules: the dependency answer a
/// go-based planner would start from. Peak memory is the maximum resident set (getrusage).
/// </summary>
internal sealed class MatrixBench : IBenchmark
{
    private const int Modules = 2000;
    private const int Projects = 50;
    private const int ChangedFiles = 100;

    public string Name => "matrix";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var root = Path.Combine(context.ScratchDirectory, "repo");
        Generate(root);
        await GitAsync(root, cancellationToken, "init", "-q");
        await GitAsync(root, cancellationToken, "add", "-A");
        await GitAsync(root, cancellationToken, "commit", "-qm", "base");
        var random = new Random(42);
        foreach (var i in Enumerable.Range(0, Modules).OrderBy(_ => random.Next()).Take(ChangedFiles))
        {
            File.AppendAllText(Path.Combine(root, Rel(i), "lib.go"), "\n// changed\n");
        }

        await GitAsync(root, cancellationToken, "commit", "-qam", "change 100 files");

        var go = await GoTool.FromExecutableAsync(context.GoExecutable, cancellationToken);
        var patterns = Enumerable.Range(0, Modules / 100).Select(g => string.Create(CultureInfo.InvariantCulture, $"./group{g:D2}/...")).ToList();
        var baselineMs = await Stopwatches.MedianMsAsync(3, async () =>
            (await ProcessRunner.Default.RunAsync(go.Command(["list", "-e", "-deps", "-f", "{{.ImportPath}}", .. patterns], root), cancellationToken).ConfigureAwait(false)).EnsureSuccess());
        var goPeak = MaxRssMb(RusageChildren);

        var host = GoDebugHost.Create(new RecordingLog());
        host = host with { Environment = host.Environment.With("GITHUB_OUTPUT", null) };
        AffectedMatrixResult? result = null;
        async Task Plan(bool mains) => result = await AffectedMatrix.PlanAsync(new AffectedMatrixSettings { RepositoryRoot = root, Base = "HEAD~1", MaxJobs = 20, ListMainPackages = mains }, go, host, cancellationToken).ConfigureAwait(false);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await Plan(false);
        var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - before) / 1048576.0;
        var planOnlyMs = await Stopwatches.MedianMsAsync(3, () => Plan(false));
        var ourPeak = MaxRssMb(RusageSelf);
        var withMainsMs = await Stopwatches.MedianMsAsync(3, () => Plan(true));
        var r = result!;
        var modules = r.Items.Count(i => i.Kind == "go");
        var projects = r.Items.Count(i => i.Kind == "dotnet");
        var mains = r.Items.Sum(i => i.Mains.Count);
        var note = string.Create(CultureInfo.InvariantCulture, $"{modules} modules + {projects} projects affected, {r.Jobs.Count} jobs; peak RSS: bench process {ourPeak:0} MB, go list {goPeak:0} MB; {allocatedMb:0} MB allocated per plan");
        return
        [
            new BenchRow("matrix plan, 2,000 modules, 100-file diff", "graph + .NET projects (no go list)", planOnlyMs, baselineMs, note),
            new BenchRow("matrix plan, 2,000 modules, 100-file diff", $"with main packages (go list of affected, {mains} mains)", withMainsMs, baselineMs, "baseline: go list -e -deps over all 2,000 modules"),
        ];
    }

    private static string Rel(int i) => string.Create(CultureInfo.InvariantCulture, $"group{i / 100:D2}/mod{i:D4}");

    private static void Generate(string root)
    {
        var work = new List<string> { "go 1.19", string.Empty, "use (" };
        for (var i = 0; i < Modules; i++)
        {
            var dir = Path.Combine(root, Rel(i));
            Directory.CreateDirectory(dir);
            var parent = i >= 10 ? i / 10 : -1;
            File.WriteAllText(Path.Combine(dir, "go.mod"), $"module example.com/{Rel(i)}\n\ngo 1.19\n" + (parent >= 0 ? $"\nrequire example.com/{Rel(parent)} v0.0.0\n" : string.Empty));
            var import = parent >= 0 ? $"import p \"example.com/{Rel(parent)}\"\n\nfunc N() int {{ return p.N() + 1 }}\n" : "func N() int { return 0 }\n";
            File.WriteAllText(Path.Combine(dir, "lib.go"), string.Create(CultureInfo.InvariantCulture, $"package mod{i:D4}\n\n{import}"));
            if (i % 20 == 0)
            {
                Directory.CreateDirectory(Path.Combine(dir, "cmd", "svc"));
                File.WriteAllText(Path.Combine(dir, "cmd", "svc", "main.go"), $"package main\n\nimport m \"example.com/{Rel(i)}\"\n\nfunc main() {{ println(m.N()) }}\n");
            }

            work.Add("\t./" + Rel(i));
        }

        work.Add(")");
        File.WriteAllText(Path.Combine(root, "go.work"), string.Join('\n', work) + "\n");
        for (var p = 0; p < Projects; p++)
        {
            var dir = Path.Combine(root, "dotnet", string.Create(CultureInfo.InvariantCulture, $"P{p:D2}"));
            Directory.CreateDirectory(dir);
            var reference = p % 2 == 1 ? string.Create(CultureInfo.InvariantCulture, $"  <ItemGroup>\n    <ProjectReference Include=\"../P{p - 1:D2}/P{p - 1:D2}.csproj\" />\n  </ItemGroup>\n") : string.Empty;
            File.WriteAllText(Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"P{p:D2}.csproj")),
                $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <GoWorkspace>../../{Rel(p * 40)}</GoWorkspace>\n  </PropertyGroup>\n{reference}</Project>\n");
        }
    }

    private static async Task GitAsync(string root, CancellationToken cancellationToken, params string[] arguments)
        => (await ProcessRunner.Default.RunAsync("git", ["-c", "user.name=Bench", "-c", "user.email=bench@example.com", .. arguments], root, cancellationToken).ConfigureAwait(false)).EnsureSuccess();

    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicros, SystemSeconds, SystemMicros;
        public long MaxRss;
        public long IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    /// <summary>Linux reports ru_maxrss in KiB.</summary>
    private static double MaxRssMb(int who) => getrusage(who, out var usage) == 0 ? usage.MaxRss / 1024.0 : double.NaN;
}
