using Cake.Core.Diagnostics;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Cake;

/// <summary>Engine log → Cake log. Diagnostics print in the compiler form, so editors link them.</summary>
internal sealed class CakeGoDebugLog(ICakeLog log) : IGoDebugLog
{
    public void Verbose(string message) => log.Verbose(Escape(message));

    public void Info(string message) => log.Information(Escape(message));

    public void Warning(string message) => log.Warning(Escape(message));

    public void Error(string message) => log.Error(Escape(message));

    public void Diagnostic(GoDiagnostic diagnostic)
    {
        var text = Escape(diagnostic.ToString());
        switch (diagnostic.Severity)
        {
            case GoDiagnosticSeverity.Error: log.Error(text); break;
            case GoDiagnosticSeverity.Warning: log.Warning(text); break;
            default: log.Information(text); break;
        }
    }

    // Cake formats messages with string.Format; braces in Go output must survive.
    private static string Escape(string message) => message.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
