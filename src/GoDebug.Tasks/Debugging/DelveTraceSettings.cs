namespace GoDebug.Tasks.Debugging;

/// <summary>How to trace a program's functions with <c>dlv trace</c>.</summary>
public sealed record DelveTraceSettings
{
    /// <summary>The debug build to run and trace.</summary>
    public string Program { get; init; } = string.Empty;

    /// <summary>Regular expression of the functions to trace (Go syntax), e.g. <c>main\.handle.*</c>.</summary>
    public string Pattern { get; init; } = string.Empty;

    /// <summary>Arguments passed to the program.</summary>
    public IReadOnlyList<string> ProgramArguments { get; init; } = [];

    /// <summary>Working directory of the program; null: the program's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long to trace; null: until the program exits or the run is cancelled (Ctrl+C).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Folder the trace file is written to.</summary>
    public string OutputDirectory { get; init; } = "artifacts/traces";
}
