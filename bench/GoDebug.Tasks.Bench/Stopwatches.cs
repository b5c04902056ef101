using System.Diagnostics;

namespace GoDebug.Tasks.Bench;

internal static class Stopwatches
{
    /// <summary>Median wall time in milliseconds of <paramref name="runs"/> calls (after one warm-up).</summary>
    public static async Task<double> MedianMsAsync(int runs, Func<Task> action)
    {
        await action().ConfigureAwait(false);
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await action().ConfigureAwait(false);
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>Wall time in milliseconds of one call.</summary>
    public static async Task<double> OnceMsAsync(Func<Task> action)
    {
        var sw = Stopwatch.StartNew();
        await action().ConfigureAwait(false);
        return sw.Elapsed.TotalMilliseconds;
    }
}
