using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// A log decorator for GitHub Actions jobs: everything goes on to the host's log, and each diagnostic is
/// also written as a workflow command so it shows on the pull request's changed lines. It keeps every
/// diagnostic of the step, because the runner shows only about ten annotations per type; front ends call
/// <see cref="StepSummaryLog.FlushStepSummary"/> at the end of a step to list them all in the job summary.
/// </summary>
/// <param name="inner">The host's log.</param>
/// <param name="output">The runner reads workflow commands from stdout.</param>
/// <param name="checkout">$GITHUB_WORKSPACE: annotation paths are relative to it.</param>
/// <param name="summaryPath">$GITHUB_STEP_SUMMARY, or null when the runner gave none.</param>
internal sealed class GitHubActionsLog(IGoDebugLog inner, TextWriter output, string? checkout, string? summaryPath = null) : IGoDebugLog
{
    private readonly object _gate = new();
    private readonly List<GoDiagnostic> _diagnostics = [];

    public string? Checkout => checkout;

    public void Verbose(string message) => inner.Verbose(message);

    public void Info(string message) => inner.Info(message);

    public void Warning(string message) => inner.Warning(message);

    public void Error(string message) => inner.Error(message);

    public void Diagnostic(GoDiagnostic diagnostic)
    {
        inner.Diagnostic(diagnostic);
        var line = GitHubAnnotations.Format(diagnostic, checkout);
        // Engines report from several threads; a workflow command must stay one whole line.
        lock (_gate)
        {
            _diagnostics.Add(diagnostic);
            output.WriteLine(line);
        }
    }

    /// <summary>Tells the runner to hide <paramref name="secret"/> in every later log line of the job.</summary>
    public void Mask(string secret)
    {
        lock (_gate)
        {
            foreach (var command in WorkflowFiles.MaskCommands(secret)) output.WriteLine(command);
            output.Flush();
        }
    }

    /// <summary>
    /// Appends <paramref name="sections"/> and every diagnostic collected since the last flush to the step
    /// summary, then starts collecting afresh. Without a summary file, or with nothing to show, it only forgets the diagnostics.
    /// </summary>
    public void FlushStepSummary(string title, IEnumerable<SummarySection> sections)
    {
        GoDiagnostic[] diagnostics;
        lock (_gate)
        {
            diagnostics = [.. _diagnostics];
            _diagnostics.Clear();
        }

        var all = diagnostics.Length == 0 ? sections.ToList() : sections.Append(StepSummary.Diagnostics(diagnostics, checkout)).ToList();
        // A step with nothing to show (a toolchain found, a go.work in sync) adds no heading to the summary.
        if (summaryPath is null || all.Count == 0) return;
        if (!WorkflowFiles.AppendSummary(summaryPath, StepSummary.Render(title, all)))
        {
            inner.Warning($"{CiCodes.SummaryTruncated}: the step summary reached GitHub's 1 MiB limit; the rest is in this log.");
        }
    }
}

/// <summary>What front ends call on the log they composed; does nothing outside GitHub Actions.</summary>
internal static class StepSummaryLog
{
    /// <summary>Writes the step summary when <paramref name="log"/> is the Actions decorator.</summary>
    public static void FlushStepSummary(this IGoDebugLog log, string title, params SummarySection[] sections)
    {
        if (log is GitHubActionsLog actions) actions.FlushStepSummary(title, sections);
    }

    /// <summary>Writes the build table (and every diagnostic of the step) to the step summary when <paramref name="log"/> is the Actions decorator.</summary>
    public static void FlushBuildSummary(this IGoDebugLog log, GoBuildResult result, TimeSpan elapsed)
    {
        if (log is GitHubActionsLog actions) actions.FlushStepSummary("Go build", [StepSummary.Build(result, elapsed, actions.Checkout)]);
    }

    /// <summary>Masks <paramref name="secret"/> in the job's log when <paramref name="log"/> is the Actions decorator.</summary>
    public static void MaskSecret(this IGoDebugLog log, string secret)
    {
        if (log is GitHubActionsLog actions) actions.Mask(secret);
    }
}
