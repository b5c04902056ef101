using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// One benchmark: it measures our engine and its baseline in the same run and returns the rows
/// that go into bench/results and the README.
/// </summary>
internal interface IBenchmark
{
    /// <summary>Name used on the command line (<c>dotnet run -- NAME</c>).</summary>
    string Name { get; }

    Task<IReadOnlyList<BenchRow>> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>One measured line: what, our time, the baseline's time, and a note (counts, goals).</summary>
internal sealed record BenchRow(string Benchmark, string Case, double OursMs, double? BaselineMs, string Note)
{
    public string Ratio => BaselineMs is { } b && OursMs > 0 ? $"{b / OursMs:0.0}x" : "-";
}

/// <summary>Shared inputs: the scratch folder, the repository root and the real go (an absolute path).</summary>
internal sealed record BenchContext(string ScratchDirectory, string RepositoryRoot, string GoExecutable)
{
    /// <summary>The --go option as a path: as given when absolute, else the first on PATH, else the newest /usr/lib/go-*/bin/go.</summary>
    public static string ResolveGo(string configured)
        => Path.IsPathRooted(configured) ? configured
            : PathSearch.OnPath(configured).FirstOrDefault()
              ?? Directory.GetDirectories("/usr/lib", "go-*").Select(d => Path.Combine(d, "bin", "go")).Where(File.Exists).OrderDescending(StringComparer.Ordinal).FirstOrDefault()
              ?? throw new InvalidOperationException($"No '{configured}' on PATH or under /usr/lib/go-*/bin; pass --go PATH.");
}
