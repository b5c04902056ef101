using System.Globalization;
using System.Text;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Ci;

/// <summary>A link under a summary section (an uploaded artifact, a report).</summary>
internal sealed record SummaryLink(string Text, string Url);

/// <summary>
/// One titled part of a step summary or PR comment: an optional line of text, a table and links. Engines
/// fill it (the build table here; the profile report its top functions and artifact links).
/// </summary>
internal sealed record SummarySection(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public string? Text { get; init; }

    public IReadOnlyList<SummaryLink> Links { get; init; } = [];
}

/// <summary>Markdown for step summaries and PR comments.</summary>
internal static class StepSummary
{
    /// <summary>One row per build target: built, skipped (up to date) or failed, with the step's counts and duration in the text line.</summary>
    public static SummarySection Build(GoBuildResult result, TimeSpan elapsed, string? checkout)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string State(GoBuildTargetResult t) => !t.Succeeded ? "❌ failed" : t.Skipped ? "⏭️ skipped (up to date)" : "✅ built";
        var rows = result.Targets.Select(t => (IReadOnlyList<string>)[t.Package, GitHubAnnotations.RepositoryPath(t.ModuleDirectory, checkout), State(t)]).ToList();
        var failed = result.Targets.Count(t => !t.Succeeded);
        var skipped = result.Targets.Count(t => t.Succeeded && t.Skipped);
        var built = result.Targets.Count - failed - skipped;
        return new SummarySection("Go build", ["Package", "Module", "Result"], rows)
        {
            Text = FormattableString.Invariant($"{built} built, {skipped} skipped, {failed} failed in {elapsed.TotalSeconds:0.0} s."),
        };
    }

    /// <summary>Every diagnostic of the step: annotations show only about ten per type, so the summary is where all of them are.</summary>
    public static SummarySection Diagnostics(IReadOnlyList<GoDiagnostic> diagnostics, string? checkout)
    {
        var rows = diagnostics
            .OrderByDescending(d => d.Severity)
            .Select(d => (IReadOnlyList<string>)[d.Severity.ToString().ToLowerInvariant(), d.Code, Location(d, checkout), d.Message])
            .ToList();
        return new SummarySection("Diagnostics", ["Severity", "Code", "Location", "Message"], rows)
        {
            Text = string.Create(CultureInfo.InvariantCulture, $"{diagnostics.Count(d => d.Severity == GoDiagnosticSeverity.Error)} errors, {diagnostics.Count(d => d.Severity == GoDiagnosticSeverity.Warning)} warnings, {diagnostics.Count(d => d.Severity == GoDiagnosticSeverity.Notice)} notices."),
        };
    }

    /// <summary>A profile's top functions (flat and cumulative share of samples) with links to the uploaded files.</summary>
    public static SummarySection Profile(string title, IEnumerable<(string Function, double FlatPercent, double CumulativePercent)> top, IEnumerable<SummaryLink> links, string? text = null)
        => new(title, ["Function", "Flat", "Cumulative"], top.Select(t => (IReadOnlyList<string>)[t.Function, Percent(t.FlatPercent), Percent(t.CumulativePercent)]).ToList())
        {
            Text = text,
            Links = links.ToList(),
        };

    /// <summary>The run's page, where its artifacts are listed; null outside Actions.</summary>
    public static SummaryLink? RunArtifacts(Hosting.EnvironmentSnapshot environment)
        => environment.Get("GITHUB_SERVER_URL") is { } server && environment.Get("GITHUB_REPOSITORY") is { } repository && environment.Get("GITHUB_RUN_ID") is { } run
            ? new SummaryLink("Artifacts of this run", $"{server.TrimEnd('/')}/{repository}/actions/runs/{run}#artifacts")
            : null;

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Render(string heading, IEnumerable<SummarySection> sections)
    {
        var sb = new StringBuilder();
        sb.Append("## ").Append(Cell(heading)).Append("\n\n");
        foreach (var section in sections)
        {
            sb.Append("### ").Append(Cell(section.Title)).Append("\n\n");
            if (section.Text is { Length: > 0 } text) sb.Append(text).Append("\n\n");
            if (section.Rows.Count > 0)
            {
                sb.Append("| ").AppendJoin(" | ", section.Columns.Select(Cell)).Append(" |\n");
                sb.Append('|').AppendJoin('|', section.Columns.Select(_ => "---")).Append("|\n");
                foreach (var row in section.Rows) sb.Append("| ").AppendJoin(" | ", row.Select(Cell)).Append(" |\n");
                sb.Append('\n');
            }

            foreach (var link in section.Links) sb.Append("- [").Append(Cell(link.Text)).Append("](").Append(link.Url.Replace(" ", "%20", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)).Append(")\n");
            if (section.Links.Count > 0) sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Location(GoDiagnostic d, string? checkout)
        => d.File is null ? string.Empty
            : GitHubAnnotations.RepositoryPath(d.File, checkout) + (d.Line > 0 ? ":" + d.Line.ToString(CultureInfo.InvariantCulture) : string.Empty) + (d.Line > 0 && d.Column > 0 ? ":" + d.Column.ToString(CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>A table cell stays one cell: pipes escaped, line breaks as &lt;br&gt;, HTML tags neutralised.</summary>
    private static string Cell(string value)
        => value.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\n", "<br>", StringComparison.Ordinal);
}
