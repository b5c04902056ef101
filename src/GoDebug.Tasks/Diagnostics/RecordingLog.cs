namespace GoDebug.Tasks.Diagnostics;

/// <summary>
/// Keeps every line and diagnostic, and optionally forwards to another log. Used where a caller
/// needs to look back at what an engine reported (Doctor tables, tests, step summaries).
/// </summary>
internal sealed class RecordingLog(IGoDebugLog? inner = null) : IGoDebugLog
{
    private readonly object _gate = new();
    private readonly List<(string Level, string Message)> _lines = [];
    private readonly List<GoDiagnostic> _diagnostics = [];

    public IReadOnlyList<(string Level, string Message)> Lines
    {
        get { lock (_gate) { return _lines.ToArray(); } }
    }

    public IReadOnlyList<GoDiagnostic> Diagnostics
    {
        get { lock (_gate) { return _diagnostics.ToArray(); } }
    }

    public string Text
    {
        get { lock (_gate) { return string.Join('\n', _lines.Select(l => l.Message)); } }
    }

    public void Verbose(string message) => Add("verbose", message, l => l.Verbose(message));

    public void Info(string message) => Add("info", message, l => l.Info(message));

    public void Warning(string message) => Add("warning", message, l => l.Warning(message));

    public void Error(string message) => Add("error", message, l => l.Error(message));

    public void Diagnostic(GoDiagnostic diagnostic)
    {
        lock (_gate)
        {
            _diagnostics.Add(diagnostic);
            _lines.Add(("diagnostic", diagnostic.ToString()));
        }

        inner?.Diagnostic(diagnostic);
    }

    private void Add(string level, string message, Action<IGoDebugLog> forward)
    {
        lock (_gate) { _lines.Add((level, message)); }
        if (inner is not null) forward(inner);
    }
}
