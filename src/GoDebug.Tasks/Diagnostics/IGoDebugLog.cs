namespace GoDebug.Tasks.Diagnostics;

/// <summary>
/// Where engines report. Each front end maps it to its host's log (Cake's ICakeLog, MSBuild's
/// TaskLoggingHelper), so engine code never sees either host.
/// </summary>
internal interface IGoDebugLog
{
    void Verbose(string message);

    void Info(string message);

    void Warning(string message);

    void Error(string message);

    /// <summary>A structured problem with a location (a Go compile error, a malformed go.mod line).</summary>
    void Diagnostic(GoDiagnostic diagnostic);
}

/// <summary>Severity of a <see cref="GoDiagnostic"/>.</summary>
public enum GoDiagnosticSeverity
{
    /// <summary>Informational; nothing to fix.</summary>
    Notice,

    /// <summary>Worth fixing; the step still succeeded.</summary>
    Warning,

    /// <summary>The step failed because of it.</summary>
    Error,
}

/// <summary>
/// A problem tied to a place in a file. <paramref name="Code"/> is ours (GO…) or empty for messages
/// that come from the Go toolchain itself.
/// </summary>
/// <param name="Severity">How bad it is.</param>
/// <param name="Code">A stable identifier such as <c>GO1001</c>, or empty.</param>
/// <param name="Message">What is wrong, in one line.</param>
/// <param name="File">Absolute path of the file, or null when the problem is not in a file.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
public sealed record GoDiagnostic(
    GoDiagnosticSeverity Severity,
    string Code,
    string Message,
    string? File = null,
    int Line = 0,
    int Column = 0)
{
    /// <summary>The conventional <c>file(line,col): severity code: message</c> form compilers print.</summary>
    public override string ToString()
    {
        var where = File is null ? string.Empty
            : Line <= 0 ? $"{File}: "
            : Column <= 0 ? $"{File}({Line}): "
            : $"{File}({Line},{Column}): ";
        var code = string.IsNullOrEmpty(Code) ? string.Empty : " " + Code;
        return $"{where}{Severity.ToString().ToLowerInvariant()}{code}: {Message}";
    }
}
