using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// A log decorator for GitHub Actions jobs: everything goes on to the host's log, and each diagnostic is
/// also written as a workflow command so it shows on the pull request's changed lines.
/// </summary>
internal sealed class GitHubActionsLog(IGoDebugLog inner, TextWriter output, string? checkout) : IGoDebugLog
{
    private readonly object _gate = new();

    public void Verbose(string message) => inner.Verbose(message);

    public void Info(string message) => inner.Info(message);

    public void Warning(string message) => inner.Warning(message);

    public void Error(string message) => inner.Error(message);

    public void Diagnostic(GoDiagnostic diagnostic)
    {
        inner.Diagnostic(diagnostic);
        var line = GitHubAnnotations.Format(diagnostic, checkout);
        // Engines report from several threads; a workflow command must stay one whole line.
        lock (_gate) { output.WriteLine(line); }
    }
}
