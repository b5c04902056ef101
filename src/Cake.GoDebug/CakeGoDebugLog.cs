using Cake.Core.Diagnostics;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Cake;

/// <summary>Engine log → Cake log. Diagnostics print in the compiler form, so editors link them.</summary>
internal sealed class CakeGoDebugLog(ICakeLog log) : IGoDebugLog
{
    // Passed as an argument, never as the format: Cake formats only when there are arguments, so braces in Go
    // output (JSON, struct literals) print as they are either way.
    public void Verbose(string message) => log.Verbose("{0}", message);

    public void Info(string message) => log.Information("{0}", message);

    public void Warning(string message) => log.Warning("{0}", message);

    public void Error(string message) => log.Error("{0}", message);

    public void Diagnostic(GoDiagnostic diagnostic)
    {
        var text = diagnostic.ToString();
        switch (diagnostic.Severity)
        {
            case GoDiagnosticSeverity.Error: log.Error("{0}", text); break;
            case GoDiagnosticSeverity.Warning: log.Warning("{0}", text); break;
            default: log.Information("{0}", text); break;
        }
    }
}
