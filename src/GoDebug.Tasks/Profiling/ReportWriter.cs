using System.Globalization;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// report.html: one self-contained page (styles inline, flame graphs inline SVG, call graphs as data URIs, no
/// script) that opens anywhere without tools, plus links to the raw files and the commands that open them interactively.
/// </summary>
internal static class ReportWriter
{
    /// <summary>Writes the page straight to <paramref name="output"/>: a large profile's flame graphs are megabytes of SVG, not copied into one page-sized string first.</summary>
    public static void Write(TextWriter output, ReportModel model, string dir)
    {
        var html = new Html(output);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(model.Title)).Append("</title><style>")
            .Append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}")
            .Append("table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}")
            .Append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{background:#f4f4f4;padding:1px 4px}.fail{color:#b00020}.skip{color:#8a6d00}.ok{color:#1b5e20}")
            .Append(".graph{overflow-x:auto;border:1px solid #eee;margin:.5em 0}img.callgraph{max-width:100%;border:1px solid #eee}details{margin:.5em 0}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(model.Title)).Append("</h1>");
        html.Append("<p>Service <code>").Append(E(model.ServiceUrl)).Append("</code>, captured ").Append(E(model.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" in ").Append(E(Seconds(model.WallTime.TotalMilliseconds))).Append(". Raw files and <a href=\"meta.json\">meta.json</a> sit beside this page.</p>");
        Summary(html, model);
        if (model.Comparison is { } comparison) Comparison(html, comparison);
        foreach (var section in model.Sections) Profile(html, section, dir);
        if (model.Trace is { } trace) Trace(html, trace);
        if (model.Malloc is { } malloc) Malloc(html, malloc, model.MallocFlame);
        html.Append("</body></html>\n");
    }

    private static void Summary(Html html, ReportModel model)
    {
        html.Append("<h2 id=\"summary\">Summary</h2><table class=\"summary\"><tr><th>profile</th><th>status</th><th class=\"n\">size</th><th class=\"n\">took</th><th>raw file</th><th>open interactively</th></tr>");
        foreach (var p in model.Profiles)
        {
            var status = p.Error is not null ? $"<span class=\"fail\">failed: {E(p.Error)}</span>"
                : p.Skipped is not null ? $"<span class=\"skip\">skipped: {E(p.Skipped)}</span>"
                : "<span class=\"ok\">ok</span>";
            html.Append("<tr><td>").Append(E(ProfileKinds.Endpoint(p.Kind))).Append("</td><td>").Append(status).Append("</td><td class=\"n\">")
                .Append(p.File is null ? string.Empty : E(Units.Bytes(p.Bytes))).Append("</td><td class=\"n\">").Append(E(Seconds(p.DurationMs))).Append("</td><td>")
                .Append(p.File is null ? string.Empty : $"<a href=\"{E(p.File)}\">{E(p.File)}</a>").Append("</td><td>")
                .Append(p.File is null ? string.Empty : $"<code>{E(OpenCommand(p.Kind, p.File))}</code>").Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Comparison(Html html, ComparisonSection section)
    {
        var c = section.Comparison;
        html.Append("<h2 id=\"comparison\">Comparison with ").Append(E(c.BaseDirectory)).Append("</h2>");
        html.Append("<p class=\"").Append(section.Failed ? "fail" : "ok").Append("\">").Append(section.Failed ? "FAILED" : "passed").Append("</p><ul>");
        foreach (var verdict in section.Verdicts) html.Append("<li>").Append(E(verdict)).Append("</li>");
        html.Append("</ul><table class=\"comparison\"><tr><th>measure</th><th class=\"n\">change</th></tr>");
        if (c.GoroutineGrowth is { } g) html.Append("<tr><td>goroutines").Append(c.UsedGoroutineLeakProfile ? " (goroutineleak profile)" : string.Empty).Append("</td><td class=\"n\">").Append(Signed(g)).Append("</td></tr>");
        if (c.HeapGrowthBytes is { } h) html.Append("<tr><td>in-use heap</td><td class=\"n\">").Append(h >= 0 ? "+" : "-").Append(E(Units.Bytes(Math.Abs(h)))).Append("</td></tr>");
        html.Append("</table>");
        if (c.GrowingStacks.Count > 0)
        {
            html.Append("<h3>Goroutine stacks that grew</h3><table class=\"stacks\"><tr><th>function</th><th class=\"n\">base</th><th class=\"n\">head</th><th class=\"n\">growth</th><th>stack</th></tr>");
            foreach (var s in c.GrowingStacks.Take(20))
            {
                html.Append("<tr><td><code>").Append(E(s.Function)).Append("</code></td><td class=\"n\">").Append(s.Base).Append("</td><td class=\"n\">").Append(s.Head)
                    .Append("</td><td class=\"n\">").Append(Signed(s.Growth)).Append("</td><td><details><summary>stack</summary><code>").Append(E(s.Stack)).Append("</code></details></td></tr>");
            }

            html.Append("</table>");
        }

        if (c.TopGrowing.Count > 0)
        {
            html.Append("<h3>Top growing functions (flat)</h3><table class=\"growing\"><tr><th>profile</th><th>function</th><th class=\"n\">base</th><th class=\"n\">head</th><th class=\"n\">growth</th></tr>");
            foreach (var d in c.TopGrowing)
            {
                html.Append("<tr><td>").Append(E(d.Profile)).Append("</td><td><code>").Append(E(d.Function)).Append("</code></td><td class=\"n\">").Append(E(Units.Format(d.Base, d.Unit)))
                    .Append("</td><td class=\"n\">").Append(E(Units.Format(d.Head, d.Unit))).Append("</td><td class=\"n\">+").Append(E(Units.Format(d.Delta, d.Unit))).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        if (c.Regressions.Count > 0)
        {
            html.Append("<h3>Share regressions</h3><table class=\"regressions\"><tr><th>profile</th><th>function</th><th class=\"n\">base share</th><th class=\"n\">head share</th><th class=\"n\">points</th></tr>");
            foreach (var r in c.Regressions)
            {
                html.Append("<tr><td>").Append(E(r.Profile)).Append("</td><td><code>").Append(E(r.Function)).Append("</code></td><td class=\"n\">").Append(E(Units.Percent(r.BaseShare)))
                    .Append("</td><td class=\"n\">").Append(E(Units.Percent(r.HeadShare))).Append("</td><td class=\"n\">+").Append(E(r.Points.ToString("0.##", CultureInfo.InvariantCulture))).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        foreach (var graph in section.Graphs) Flame(html, graph);
    }

    private static void Profile(Html html, ProfileSection section, string dir)
    {
        var name = ProfileKinds.Endpoint(section.Kind);
        html.Append("<h2 id=\"profile-").Append(E(name)).Append("\">").Append(E(name)).Append("</h2><p><a href=\"").Append(E(section.File)).Append("\">").Append(E(section.File))
            .Append("</a> — open with <code>").Append(E(OpenCommand(section.Kind, section.File))).Append("</code></p>");
        html.Append("<table class=\"totals\"><tr><th>sample type</th><th class=\"n\">total</th></tr>");
        foreach (var (type, total) in section.Totals) html.Append("<tr><td>").Append(E(type.ToString())).Append("</td><td class=\"n\">").Append(E(Units.Format(total, type.Unit))).Append("</td></tr>");
        html.Append("</table>");
        foreach (var (type, top) in section.Tops)
        {
            var total = section.Totals.First(t => t.Type == type).Total;
            html.Append("<details").Append(type == section.Tops[^1].Type || section.Tops.Count == 1 ? " open" : string.Empty).Append("><summary>Top functions by ").Append(E(type.ToString()))
                .Append("</summary><table class=\"top\"><tr><th>function</th><th class=\"n\">flat</th><th class=\"n\">flat%</th><th class=\"n\">cum</th><th class=\"n\">cum%</th></tr>");
            if (top.Count == 0) html.Append("<tr><td colspan=\"5\">no samples</td></tr>");
            foreach (var f in top)
            {
                html.Append("<tr><td><code>").Append(E(f.Name)).Append("</code></td><td class=\"n\">").Append(E(Units.Format(f.Flat, type.Unit))).Append("</td><td class=\"n\">").Append(E(Share(f.Flat, total)))
                    .Append("</td><td class=\"n\">").Append(E(Units.Format(f.Cumulative, type.Unit))).Append("</td><td class=\"n\">").Append(E(Share(f.Cumulative, total))).Append("</td></tr>");
            }

            html.Append("</table></details>");
        }

        foreach (var flame in section.Flames) Flame(html, flame);
        if (section.CallGraphFile is { } file)
        {
            var data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(dir, file)));
            html.Append("<h3>Call graph (go tool pprof -svg)</h3><p><a href=\"").Append(E(file)).Append("\">").Append(E(file)).Append("</a></p><img class=\"callgraph\" alt=\"call graph of ")
                .Append(E(name)).Append("\" src=\"data:image/svg+xml;base64,").Append(data).Append("\">");
        }
        else if (section.CallGraphError is { } error)
        {
            html.Append("<p class=\"skip callgraph-missing\">No call graph: ").Append(E(error)).Append("</p>");
        }
    }

    private static void Trace(Html html, TraceSection trace)
    {
        html.Append("<h2 id=\"trace\">Execution trace</h2><table class=\"trace\"><tr><td>file</td><td><a href=\"").Append(E(trace.File)).Append("\">").Append(E(trace.File)).Append("</a> (")
            .Append(E(Units.Bytes(trace.Bytes))).Append(")</td></tr><tr><td>format</td><td><code>go ").Append(E(trace.Header.Version)).Append(" trace</code>").Append(trace.Header.IsGenerationFormat ? " (the Go 1.22+ format; a newer Go may write an older format version)" : " (the pre-1.22 format)")
            .Append("</td></tr><tr><td>duration</td><td>").Append(E(trace.Covered is { } covered
                ? $"{Seconds(covered.TotalMilliseconds)} by the trace's clock (the request took {Seconds(trace.DurationMs)})"
                : $"{Seconds(trace.DurationMs)} (the request's wall time; the trace's timestamps did not read)"))
            .Append("</td></tr><tr><td>open with</td><td><code>")
            .Append(E($"go tool trace {trace.File}")).Append("</code></td></tr>");
        if (trace.GoUsed is not null) html.Append("<tr><td>read with</td><td><code>").Append(E(trace.GoUsed)).Append("</code></td></tr>");
        html.Append("</table>");
        if (trace.Error is not null) html.Append("<p class=\"fail\">").Append(E(trace.Error)).Append("</p>");
        if (trace.Parts.Count > 0)
        {
            html.Append("<table class=\"trace-parts\"><tr><th>go tool trace -pprof=</th><th class=\"n\">total</th><th>file</th></tr>");
            foreach (var part in trace.Parts)
            {
                html.Append("<tr><td>").Append(E(part.Kind)).Append("</td><td class=\"n\">").Append(part.Error is null ? E(Units.Format(part.Total, "nanoseconds")) : $"<span class=\"fail\">{E(part.Error)}</span>")
                    .Append("</td><td>").Append(part.File is null ? string.Empty : $"<a href=\"{E(part.File)}\">{E(part.File)}</a>").Append("</td></tr>");
            }

            html.Append("</table>");
        }

        foreach (var part in trace.Parts)
        {
            if (part.Flame is { } flame) Flame(html, flame);
        }
    }

    private static void Malloc(Html html, MallocTrace malloc, FlameSection? flame)
    {
        html.Append("<h2 id=\"malloc\">Malloc stacks (bpftrace)</h2>");
        if (malloc.Skipped is not null) html.Append("<p class=\"skip\">").Append(E(malloc.Skipped)).Append("</p>");
        if (flame is not null)
        {
            html.Append("<p>uprobe on <code>runtime.mallocgc</code> of <code>").Append(E(malloc.Executable ?? "?")).Append("</code> (pid ").Append(malloc.Pid).Append("), entry only.</p>");
            Flame(html, flame);
        }
    }

    private static void Flame(Html html, FlameSection flame)
        => html.Append("<h3>").Append(E(flame.Title)).Append("</h3><p><a href=\"").Append(E(flame.File)).Append("\">").Append(E(flame.File)).Append("</a></p><div class=\"graph\">").Append(flame.Svg).Append("</div>");

    internal static string OpenCommand(ProfileKind kind, string file) => kind == ProfileKind.Trace ? $"go tool trace {file}" : $"go tool pprof -http=: {file}";

    private static string Share(long value, long total) => total == 0 ? "-" : Units.Percent(100.0 * value / total);

    private static string Seconds(double ms) => ms >= 1000 ? (ms / 1000).ToString("0.## 's'", CultureInfo.InvariantCulture) : ms.ToString("0 'ms'", CultureInfo.InvariantCulture);

    private static string Signed(long v) => v >= 0 ? $"+{v}" : v.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => FlameGraph.Escape(text);

    /// <summary>StringBuilder's chaining over a TextWriter; numbers in the invariant culture.</summary>
    private sealed class Html(TextWriter output)
    {
        public Html Append(string? text)
        {
            output.Write(text);
            return this;
        }

        public Html Append(long value) => Append(value.ToString(CultureInfo.InvariantCulture));
    }
}
