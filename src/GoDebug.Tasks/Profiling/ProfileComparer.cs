namespace GoDebug.Tasks.Profiling;

/// <summary>Compares the profiles of two capture folders.</summary>
internal static class ProfileComparer
{
    private const int TopCount = 10;

    /// <summary>Sample types compared per profile, and the ones a share regression is judged on.</summary>
    private static readonly (ProfileKind Kind, string Type, bool Share)[] Compared =
    [
        (ProfileKind.Goroutine, "goroutine", false),
        (ProfileKind.Heap, "inuse_space", false),
        (ProfileKind.Cpu, "cpu", true),
        (ProfileKind.Allocs, "alloc_space", true),
    ];

    /// <summary>Compares and writes one differential flame graph per compared profile into <paramref name="outputDir"/>.</summary>
    public static (ProfileComparison Comparison, IReadOnlyList<FlameSection> Graphs) Compare(string baseDir, string headDir, double regressionPoints, string outputDir)
    {
        var graphs = new List<FlameSection>();
        var top = new List<FunctionDelta>();
        var regressions = new List<ShareRegression>();
        long? goroutineGrowth = null;
        long? heapGrowth = null;
        IReadOnlyList<GrowingStack> stacks = [];

        // Go 1.26's goroutineleak profile holds only goroutines the GC proved blocked forever: the sharper signal when both sides have it.
        var leakBase = Load(baseDir, ProfileKind.GoroutineLeak);
        var leakHead = Load(headDir, ProfileKind.GoroutineLeak);
        var usedLeakProfile = leakBase is not null && leakHead is not null;
        var goroutineBase = usedLeakProfile ? leakBase : Load(baseDir, ProfileKind.Goroutine);
        var goroutineHead = usedLeakProfile ? leakHead : Load(headDir, ProfileKind.Goroutine);
        if (goroutineBase is not null && goroutineHead is not null)
        {
            goroutineGrowth = goroutineHead.Total(0) - goroutineBase.Total(0);
            stacks = GrowingStacks(goroutineBase, goroutineHead);
        }

        foreach (var (kind, type, share) in Compared)
        {
            var before = kind == ProfileKind.Goroutine ? goroutineBase : Load(baseDir, kind);
            var after = kind == ProfileKind.Goroutine ? goroutineHead : Load(headDir, kind);
            if (before is null || after is null) continue;
            var bi = kind == ProfileKind.Goroutine ? 0 : before.IndexOf(type);
            var hi = kind == ProfileKind.Goroutine ? 0 : after.IndexOf(type);
            if (bi < 0 || hi < 0) continue;
            var label = $"{ProfileKinds.Endpoint(kind)} {after.SampleTypes[hi].Type}";
            var unit = after.SampleTypes[hi].Unit;
            if (kind == ProfileKind.Heap) heapGrowth = after.Total(hi) - before.Total(bi);
            var flatBefore = Flat(before, bi);
            var flatAfter = Flat(after, hi);
            top.AddRange(flatAfter.Keys.Union(flatBefore.Keys)
                .Select(f => new FunctionDelta(label, f, flatBefore.GetValueOrDefault(f), flatAfter.GetValueOrDefault(f), unit))
                .Where(d => d.Delta > 0)
                .OrderByDescending(d => d.Delta).ThenBy(d => d.Function, StringComparer.Ordinal)
                .Take(TopCount));
            if (share) regressions.AddRange(ShareRegressions(label, flatBefore, before.Total(bi), flatAfter, after.Total(hi), regressionPoints));
            var svg = FlameGraph.RenderDiff(after.Tree(hi), before.Tree(bi), $"{label}, head vs base (red grew, blue shrank)", unit);
            var file = $"diff-{ProfileKinds.Endpoint(kind)}-{after.SampleTypes[hi].Type}.svg";
            FileSystem.AtomicFile.WriteAllText(Path.Combine(outputDir, file), svg);
            graphs.Add(new FlameSection($"Differential flame graph: {label}", file, svg));
        }

        var comparison = new ProfileComparison(baseDir, headDir, goroutineGrowth, heapGrowth, stacks, top, regressions.OrderByDescending(r => r.Points).ToList(), usedLeakProfile);
        return (comparison, graphs);
    }

    private static PprofProfile? Load(string dir, ProfileKind kind)
    {
        var path = Path.Combine(dir, ProfileKinds.FileName(kind));
        return File.Exists(path) ? PprofProfile.Load(path) : null;
    }

    private static Dictionary<string, long> Flat(PprofProfile profile, int index)
    {
        var flat = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (stack, values) in profile.Samples)
        {
            if (stack.Length > 0) flat[stack[^1]] = flat.GetValueOrDefault(stack[^1]) + values[index];
        }

        return flat;
    }

    private static IEnumerable<ShareRegression> ShareRegressions(string label, Dictionary<string, long> before, long beforeTotal, Dictionary<string, long> after, long afterTotal, double points)
    {
        if (afterTotal <= 0) yield break;
        foreach (var (function, value) in after)
        {
            var headShare = 100.0 * value / afterTotal;
            var baseShare = beforeTotal <= 0 ? 0 : 100.0 * before.GetValueOrDefault(function) / beforeTotal;
            if (headShare - baseShare > points) yield return new ShareRegression(label, function, baseShare, headShare);
        }
    }

    internal static IReadOnlyList<GrowingStack> GrowingStacks(PprofProfile before, PprofProfile after)
    {
        static Dictionary<string, (string[] Stack, long Count)> ByStack(PprofProfile p)
        {
            var map = new Dictionary<string, (string[] Stack, long Count)>(StringComparer.Ordinal);
            foreach (var (stack, values) in p.Samples)
            {
                var key = string.Join('\n', stack);
                map[key] = (stack, map.GetValueOrDefault(key).Count + values[0]);
            }

            return map;
        }

        var b = ByStack(before);
        return ByStack(after)
            .Select(kv => (kv.Value.Stack, Base: b.GetValueOrDefault(kv.Key).Count, Head: kv.Value.Count))
            .Where(s => s.Head > s.Base)
            .Select(s => new GrowingStack(Owner(s.Stack), string.Join(" → ", s.Stack), s.Base, s.Head))
            .OrderByDescending(s => s.Growth).ThenBy(s => s.Function, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The innermost frame that is the program's own code, not the runtime parking it.</summary>
    internal static string Owner(string[] stack)
    {
        for (var i = stack.Length - 1; i >= 0; i--)
        {
            var frame = stack[i];
            if (!frame.StartsWith("runtime.", StringComparison.Ordinal) && !frame.StartsWith("internal/", StringComparison.Ordinal)
                && !frame.StartsWith("sync.", StringComparison.Ordinal) && !frame.StartsWith("time.Sleep", StringComparison.Ordinal))
            {
                return frame;
            }
        }

        return stack.Length > 0 ? stack[^1] : "?";
    }
}
