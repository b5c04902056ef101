using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Profiling;

/// <summary>Two saved captures to compare and the regression threshold.</summary>
public sealed record ProfileDiffSettings
{
    /// <summary>The baseline capture folder (one with raw profiles, as a capture writes it).</summary>
    public string BaseDirectory { get; init; } = string.Empty;

    /// <summary>The capture folder to judge.</summary>
    public string HeadDirectory { get; init; } = string.Empty;

    /// <summary>Percentage points a function's flat share of CPU or allocated bytes may gain before it counts as a regression.</summary>
    public double RegressionThreshold { get; init; } = 5;

    /// <summary>Where the comparison report goes: <c>&lt;root&gt;/diff/&lt;UTC timestamp&gt;/report.html</c>.</summary>
    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "profiles");
}

/// <summary>The comparison of two saved captures.</summary>
/// <param name="Passed">True when no function's share grew past the threshold.</param>
/// <param name="Message">The verdict and the report's path.</param>
/// <param name="ReportPath">The comparison's report.html.</param>
/// <param name="Comparison">The figures.</param>
public sealed record ProfileDiffResult(bool Passed, string Message, string ReportPath, ProfileComparison Comparison);

/// <summary>Compares two saved captures and judges CPU and allocation share regressions per function.</summary>
internal static class ProfileDiff
{
    public static Task<ProfileDiffResult> RunAsync(ProfileDiffSettings settings, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        cancellationToken.ThrowIfCancellationRequested();
        var baseDir = Existing(settings.BaseDirectory, "base", host);
        var headDir = Existing(settings.HeadDirectory, "head", host);
        var root = Path.GetFullPath(settings.OutputDirectory, host.Environment.WorkingDirectory);
        var final = ProfileCapture.UniqueStamped(Path.Combine(root, "diff"), host.Time.GetUtcNow());
        var staging = AtomicFile.TempSibling(final, "partial");
        Directory.CreateDirectory(staging);
        try
        {
            var (comparison, graphs) = ProfileComparer.Compare(baseDir, headDir, settings.RegressionThreshold, staging);
            if (graphs.Count == 0)
            {
                throw ProfilingCodes.Error(ProfilingCodes.MissingCapture, $"{baseDir} and {headDir} have no profile in common to compare (goroutine, heap, profile/CPU or allocs .pb.gz).");
            }

            var verdicts = comparison.Regressions.Select(r => $"{ProfilingCodes.Regression}: {r.Function} went from {Units.Percent(r.BaseShare)} to {Units.Percent(r.HeadShare)} of {r.Profile} (threshold +{settings.RegressionThreshold} points).").ToList();
            var failed = verdicts.Count > 0;
            if (!failed) verdicts.Add($"No function's share of CPU or allocations grew by more than {settings.RegressionThreshold} points.");
            var model = new ReportModel($"Profile diff: {Path.GetFileName(headDir)} vs {Path.GetFileName(baseDir)}", headDir, host.Time.GetUtcNow(), TimeSpan.Zero, [], [], null, null, null, new ComparisonSection(comparison, graphs, verdicts, failed));
            AtomicFile.WriteText(Path.Combine(staging, "report.html"), html => ReportWriter.Write(html, model, staging));
            Directory.Move(staging, final);
            var report = Path.Combine(final, "report.html");
            var message = $"{(failed ? "ProfileDiff failed" : "ProfileDiff passed")}: {string.Join(" ", verdicts)} Report: {report}";
            if (failed) host.Log.Error(message);
            else host.Log.Info(message);
            return Task.FromResult(new ProfileDiffResult(!failed, message, report, comparison));
        }
        catch
        {
            AtomicFile.TryDelete(staging);
            throw;
        }
    }

    private static string Existing(string dir, string which, GoDebugHost host)
    {
        var full = Path.GetFullPath(dir, host.Environment.WorkingDirectory);
        if (string.IsNullOrWhiteSpace(dir) || !Directory.Exists(full))
        {
            throw ProfilingCodes.Error(ProfilingCodes.MissingCapture, $"The {which} capture folder '{full}' does not exist.");
        }

        return full;
    }
}
