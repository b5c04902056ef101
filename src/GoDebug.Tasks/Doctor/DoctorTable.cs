using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Doctor;

/// <summary>Findings as a plain-text table: readable in a terminal and in a CI log alike.</summary>
internal static class DoctorTable
{
    public static IReadOnlyList<string> Format(IReadOnlyList<GoDoctorFinding> findings, IHintRenderer hints)
    {
        var rows = new List<string[]> { new[] { "severity", "code", "problem", "fix" } };
        rows.AddRange(findings.Select(f => new[] { f.Severity.ToString().ToLowerInvariant(), f.Code, f.Problem, hints.Render(f.Fix) }));
        var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
        string Line(string[] r) => string.Join("  ", r.Take(3).Select((cell, c) => cell.PadRight(widths[c])).Append(r[3])).TrimEnd();
        var lines = new List<string> { Line(rows[0]), string.Join("  ", widths.Select(w => new string('-', w)).Append("---")) };
        lines.AddRange(rows.Skip(1).Select(Line));
        return lines;
    }

    public static string Summary(IReadOnlyList<GoDoctorFinding> findings)
    {
        int Count(GoDiagnosticSeverity s) => findings.Count(f => f.Severity == s);
        return $"Doctor: {Count(GoDiagnosticSeverity.Error)} error(s), {Count(GoDiagnosticSeverity.Warning)} warning(s), {Count(GoDiagnosticSeverity.Notice)} notice(s).";
    }
}
