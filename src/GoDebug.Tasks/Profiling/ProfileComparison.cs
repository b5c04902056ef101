namespace GoDebug.Tasks.Profiling;

/// <summary>A call stack whose goroutine count grew between two captures.</summary>
/// <param name="Function">The function that owns the goroutines: the innermost frame outside the runtime (<c>main.handleLeak.func1</c>).</param>
/// <param name="Stack">The whole stack, root first, joined with " → ".</param>
/// <param name="Base">Goroutines on this stack in the base capture.</param>
/// <param name="Head">Goroutines on it in the head capture.</param>
public sealed record GrowingStack(string Function, string Stack, long Base, long Head)
{
    /// <summary>Head minus base.</summary>
    public long Growth => Head - Base;
}

/// <summary>A function's flat value in two captures, for one profile and sample type.</summary>
/// <param name="Profile">The profile and sample type, e.g. <c>heap inuse_space</c>.</param>
/// <param name="Function">The function.</param>
/// <param name="Base">Flat value in the base capture.</param>
/// <param name="Head">Flat value in the head capture.</param>
/// <param name="Unit">The sample type's unit.</param>
public sealed record FunctionDelta(string Profile, string Function, long Base, long Head, string Unit)
{
    /// <summary>Head minus base.</summary>
    public long Delta => Head - Base;
}

/// <summary>A function whose share of CPU or allocations grew past the threshold.</summary>
/// <param name="Profile">The profile and sample type, e.g. <c>cpu cpu</c> or <c>allocs alloc_space</c>.</param>
/// <param name="Function">The function.</param>
/// <param name="BaseShare">Its flat share of the base total, in percent.</param>
/// <param name="HeadShare">Its flat share of the head total, in percent.</param>
public sealed record ShareRegression(string Profile, string Function, double BaseShare, double HeadShare)
{
    /// <summary>Percentage points gained.</summary>
    public double Points => HeadShare - BaseShare;
}

/// <summary>Two captures compared: goroutine and in-use heap growth, the stacks and functions that grew.</summary>
/// <param name="BaseDirectory">The earlier (or baseline) capture folder.</param>
/// <param name="HeadDirectory">The later capture folder.</param>
/// <param name="GoroutineGrowth">Goroutines in head minus base; null when either has no goroutine profile.</param>
/// <param name="HeapGrowthBytes">In-use heap bytes in head minus base; null when either has no heap profile.</param>
/// <param name="GrowingStacks">Stacks with more goroutines in head, most growth first.</param>
/// <param name="TopGrowing">Functions whose flat value grew most, per profile.</param>
/// <param name="Regressions">Functions whose CPU or allocation share grew past the threshold (ProfileDiff).</param>
/// <param name="UsedGoroutineLeakProfile">True when goroutine growth came from Go 1.26's goroutineleak profile.</param>
public sealed record ProfileComparison(
    string BaseDirectory,
    string HeadDirectory,
    long? GoroutineGrowth,
    long? HeapGrowthBytes,
    IReadOnlyList<GrowingStack> GrowingStacks,
    IReadOnlyList<FunctionDelta> TopGrowing,
    IReadOnlyList<ShareRegression> Regressions,
    bool UsedGoroutineLeakProfile);
