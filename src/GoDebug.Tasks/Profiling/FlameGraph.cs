using System.Globalization;
using System.Text;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// Flame graphs as standalone SVG: no Graphviz, no script. The root frame spans the full width and each
/// frame's width is its value times the same scale, so callees never exceed their caller and a level's
/// widths add up to the values they stand for. Hovering any frame shows its <c>&lt;title&gt;</c>.
/// </summary>
internal static class FlameGraph
{
    public const double Width = 1200;
    public const double FrameHeight = 16;
    private const double Top = 28;

    /// <summary>Frames narrower than this are not drawn (their value still counts in their caller's width).</summary>
    private const double MinWidth = 0.1;

    public static string Render(StackNode root, string title, string unit)
        => RenderCore(root, null, title, unit);

    /// <summary>
    /// The differential form: frames sized by <paramref name="head"/>, coloured by the change from
    /// <paramref name="baseline"/> along the same call path (red grew, blue shrank, the stronger the larger).
    /// </summary>
    public static string RenderDiff(StackNode head, StackNode baseline, string title, string unit)
        => RenderCore(head, baseline, title, unit);

    /// <summary>Pixels per unit of value in a graph whose root holds <paramref name="total"/>.</summary>
    public static double Scale(long total) => total == 0 ? 0 : Width / total;

    /// <summary>Whether a frame of this value is drawn (the root always is); <see cref="ProfileDigest"/> builds only these.</summary>
    public static bool IsDrawn(long value, double scale) => value * scale >= MinWidth;

    /// <summary>The smallest value <see cref="IsDrawn"/> accepts at a positive <paramref name="scale"/> (searched, so rounding agrees with it).</summary>
    public static long SmallestDrawn(double scale)
    {
        var guess = (long)Math.Ceiling(MinWidth / scale);
        while (guess > 0 && IsDrawn(guess - 1, scale)) guess--;
        while (!IsDrawn(guess, scale)) guess++;
        return guess;
    }

    private static string RenderCore(StackNode root, StackNode? baseline, string title, string unit)
    {
        var scale = Scale(root.Value);
        var depth = Depth(root, scale);
        var height = Top + (depth * FrameHeight) + 8;
        var maxDelta = baseline is null ? 0 : Math.Max(1, MaxAbsDelta(root, baseline));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flamegraph\" data-title=\"{Escape(title)}\" width=\"{Width:0}\" height=\"{height:0}\" viewBox=\"0 0 {Width:0} {height:0}\" data-total=\"{root.Value}\" data-unit=\"{Escape(unit)}\">");
        svg.Append("<style>text{font:11px monospace;fill:#000;pointer-events:none}.t{font:bold 13px sans-serif}rect{stroke:#fff;stroke-width:0.5}</style>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"t\" x=\"4\" y=\"17\">{Escape(title)} — total {Escape(Units.Format(root.Value, unit))}</text>");
        Frame(svg, root, baseline, 0, 0, scale, height, unit, root.Value, maxDelta);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Frame(StringBuilder svg, StackNode node, StackNode? baseline, double x, int level, double scale, double height, string unit, long total, long maxDelta)
    {
        if (level > 0 && !IsDrawn(node.Value, scale)) return;
        var w = node.Value * scale;
        var y = height - 8 - ((level + 1) * FrameHeight);
        var pct = total == 0 ? 0 : 100.0 * node.Value / total;
        string fill;
        string hover;
        if (baseline is null)
        {
            fill = WarmColour(node.Name);
            hover = $"{node.Name}: {Units.Format(node.Value, unit)} ({Units.Percent(pct)})";
        }
        else
        {
            var delta = node.Value - (baseline?.Value ?? 0);
            fill = DiffColour(delta, maxDelta);
            hover = $"{node.Name}: {Units.Format(node.Value, unit)} ({Units.Percent(pct)}), {(delta >= 0 ? "+" : "-")}{Units.Format(Math.Abs(delta), unit)} vs base";
        }

        svg.Append(CultureInfo.InvariantCulture, $"<g><title>{Escape(hover)}</title><rect x=\"{x:0.###}\" y=\"{y:0.#}\" width=\"{w:0.###}\" height=\"{FrameHeight - 1:0}\" fill=\"{fill}\" data-name=\"{Escape(node.Name)}\" data-value=\"{node.Value}\" data-depth=\"{level}\"/>");
        var chars = (int)((w - 6) / 7);
        if (chars >= 3)
        {
            var label = node.Name.Length <= chars ? node.Name : node.Name[..(chars - 2)] + "..";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 3:0.###}\" y=\"{y + 11:0.#}\">{Escape(label)}</text>");
        }

        svg.Append("</g>");
        var childX = x;
        // Largest callee first, as flame graphs conventionally sort alphabetically; by size keeps the eye on the wide ones.
        foreach (var child in node.Children.OrderByDescending(c => c.Value).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            Frame(svg, child, baseline?.Child(child.Name), childX, level + 1, scale, height, unit, total, maxDelta);
            childX += child.Value * scale;
        }
    }

    private static int Depth(StackNode node, double scale)
    {
        var deepest = 0;
        foreach (var child in node.Children)
        {
            if (IsDrawn(child.Value, scale)) deepest = Math.Max(deepest, Depth(child, scale));
        }

        return deepest + 1;
    }

    private static long MaxAbsDelta(StackNode head, StackNode? baseline)
    {
        var delta = Math.Abs(head.Value - (baseline?.Value ?? 0));
        foreach (var child in head.Children)
        {
            delta = Math.Max(delta, MaxAbsDelta(child, baseline?.Child(child.Name)));
        }

        return delta;
    }

    /// <summary>A stable warm colour per function name (the same function has the same colour in every graph).</summary>
    private static string WarmColour(string name)
    {
        uint hash = 2166136261;
        foreach (var c in name) hash = (hash ^ c) * 16777619;
        var r = 205 + (int)(hash % 50);
        var g = 80 + (int)((hash >> 8) % 130);
        var b = 30 + (int)((hash >> 16) % 40);
        return $"rgb({r},{g},{b})";
    }

    private static string DiffColour(long delta, long maxDelta)
    {
        if (delta == 0) return "rgb(220,220,220)";
        var strength = 40 + (int)(175 * Math.Min(1.0, Math.Abs((double)delta) / maxDelta));
        var other = 230 - strength;
        return delta > 0 ? $"rgb(255,{other},{other})" : $"rgb({other},{other},255)";
    }

    public static string Escape(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}

/// <summary>Human-readable values in a profile's units.</summary>
internal static class Units
{
    public static string Format(long value, string unit) => unit switch
    {
        "bytes" => Bytes(value),
        "nanoseconds" => Math.Abs(value) >= 1_000_000_000 ? Inv($"{value / 1e9:0.##} s") : Inv($"{value / 1e6:0.##} ms"),
        "count" or "" => value.ToString("N0", CultureInfo.InvariantCulture),
        _ => $"{value.ToString("N0", CultureInfo.InvariantCulture)} {unit}",
    };

    public static string Bytes(long value)
    {
        var abs = Math.Abs((double)value);
        return abs >= 1 << 30 ? Inv($"{value / (double)(1 << 30):0.##} GiB")
            : abs >= 1 << 20 ? Inv($"{value / (double)(1 << 20):0.##} MiB")
            : abs >= 1 << 10 ? Inv($"{value / 1024.0:0.##} KiB")
            : Inv($"{value} B");
    }

    public static string Percent(double value) => Inv($"{value:0.##}%");

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
