using GoDebug.Tasks.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace GoDebug.Tasks.MSBuild;

/// <summary>Engine log → MSBuild log. Diagnostics use the 10-argument overloads so IDEs show file, line and column.</summary>
internal sealed class MSBuildGoDebugLog(TaskLoggingHelper log) : IGoDebugLog
{
    private readonly HashSet<GoDiagnostic> _reported = [];

    public void Verbose(string message) => log.LogMessage(MessageImportance.Low, "{0}", message);

    public void Info(string message) => log.LogMessage(MessageImportance.High, "{0}", message);

    public void Warning(string message) => log.LogWarning("{0}", message);

    public void Error(string message) => log.LogError("{0}", message);

    public void Diagnostic(GoDiagnostic d)
    {
        // Engines may log from more than one thread.
        lock (_reported)
        {
            _reported.Add(d);
        }

        var code = string.IsNullOrEmpty(d.Code) ? null : d.Code;
        switch (d.Severity)
        {
            case GoDiagnosticSeverity.Error:
                log.LogError("Go", code, null, d.File, d.Line, d.Column, 0, 0, "{0}", d.Message);
                break;
            case GoDiagnosticSeverity.Warning:
                log.LogWarning("Go", code, null, d.File, d.Line, d.Column, 0, 0, "{0}", d.Message);
                break;
            default:
                log.LogMessage("Go", code, null, d.File, d.Line, d.Column, 0, 0, MessageImportance.High, "{0}", d.Message);
                break;
        }
    }

    /// <summary>
    /// Logs the diagnostics of an engine result that the engine did not already report while it ran,
    /// so each appears exactly once in the IDE's error list.
    /// </summary>
    public void DiagnosticsNotYetReported(IEnumerable<GoDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            bool isNew;
            lock (_reported)
            {
                isNew = !_reported.Contains(d);
            }

            if (isNew) Diagnostic(d);
        }
    }
}
