namespace GoDebug.Tasks.Profiling;

/// <summary>A flame graph for the report, also kept as its own .svg file.</summary>
internal sealed record FlameSection(string Title, string File, string Svg);

/// <summary>One pprof profile's part of the report.</summary>
internal sealed record ProfileSection(
    ProfileKind Kind,
    string File,
    IReadOnlyList<(SampleType Type, long Total)> Totals,
    IReadOnlyList<(SampleType Type, IReadOnlyList<FunctionValue> Top)> Tops,
    IReadOnlyList<FlameSection> Flames,
    string? CallGraphFile,
    string? CallGraphError);

/// <summary>A profile <c>go tool trace -pprof</c> derived from the trace.</summary>
internal sealed record TracePart(string Kind, string? File, long Total, FlameSection? Flame, string? Error);

/// <summary>The execution trace's part of the report: <paramref name="Covered"/> by the trace's own clock, <paramref name="DurationMs"/> the request's wall time.</summary>
internal sealed record TraceSection(string File, TraceHeader Header, long Bytes, double DurationMs, TimeSpan? Covered, string? GoUsed, IReadOnlyList<TracePart> Parts, string? Error);

/// <summary>A comparison's part of the report (LeakGate, ProfileDiff).</summary>
internal sealed record ComparisonSection(ProfileComparison Comparison, IReadOnlyList<FlameSection> Graphs, IReadOnlyList<string> Verdicts, bool Failed);

/// <summary>Everything report.html shows.</summary>
internal sealed record ReportModel(
    string Title,
    string ServiceUrl,
    DateTimeOffset Started,
    TimeSpan WallTime,
    IReadOnlyList<CapturedProfile> Profiles,
    IReadOnlyList<ProfileSection> Sections,
    TraceSection? Trace,
    MallocTrace? Malloc,
    FlameSection? MallocFlame,
    ComparisonSection? Comparison);
