using System.Text;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

[TestFixture]
public sealed class WorkflowFilesTests
{
    /// <summary>Reads $GITHUB_OUTPUT the way the Actions runner does (name=value lines and name&lt;&lt;DELIM blocks).</summary>
    internal static Dictionary<string, string> ParseOutputs(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllText(path).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; lines[i] != delimiter; i++) value.Add(lines[i]);
                result[name] = string.Join('\n', value);
            }
            else
            {
                result[line[..equals]] = line[(equals + 1)..];
            }
        }

        return result;
    }

    [Test]
    public void Outputs_with_multi_line_values_and_delimiter_like_text_parse_back()
    {
        using var dir = new TempDir("out");
        var path = dir.Combine("output file.txt");
        var matrix = "{\n  \"include\": [ {\"path\": \"a b/c\"} ]\n}";
        var tricky = "EOF\nghadelimiter_\n<<EOF\nname=value";
        WorkflowFiles.AppendOutput(path, "matrix", matrix);
        WorkflowFiles.AppendOutput(path, "tricky-one", tricky);
        WorkflowFiles.AppendOutput(path, "empty", string.Empty);

        var parsed = ParseOutputs(path);
        Assert.That(parsed, Has.Count.EqualTo(3));
        Assert.That(parsed["matrix"], Is.EqualTo(matrix));
        Assert.That(parsed["tricky-one"], Is.EqualTo(tricky));
        Assert.That(parsed["empty"], Is.Empty);
        Assert.That(() => WorkflowFiles.AppendOutput(path, "bad name", "x"), Throws.TypeOf<GoDebugException>().With.Message.Contains("'bad name'"));
        Assert.That(ParseOutputs(path), Has.Count.EqualTo(3), "a rejected name writes nothing");
    }

    [Test]
    public void Annotations_for_paths_with_spaces_are_relative_and_parse_back()
    {
        using var dir = new TempDir("ann");
        var checkout = dir.Combine("my repo");
        var file = Path.Combine(checkout, "svc dir", "main.go");
        var console = new StringWriter();
        var log = new GitHubActionsLog(new RecordingLog(), console, checkout + "/");
        log.Diagnostic(new GoDiagnostic(GoDiagnosticSeverity.Error, string.Empty, "undefined: x, y: 100%\nsecond line", file, 12, 7));

        var line = console.ToString().TrimEnd('\n');
        var m = Regex.Match(line, "^::error (?<props>[^:]*)::(?<msg>.*)$");
        Assert.That(m.Success, line);
        var props = m.Groups["props"].Value.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Unescape(p[1]));
        Assert.That(props["file"], Is.EqualTo("svc dir/main.go"));
        Assert.That(props["line"], Is.EqualTo("12"));
        Assert.That(props["col"], Is.EqualTo("7"));
        Assert.That(Unescape(m.Groups["msg"].Value), Is.EqualTo("undefined: x, y: 100%\nsecond line"));
    }

    private static string Unescape(string s)
        => s.Replace("%0A", "\n").Replace("%0D", "\r").Replace("%3A", ":").Replace("%2C", ",").Replace("%25", "%");

    [Test]
    public void Summary_lists_every_diagnostic_and_the_build_table()
    {
        using var dir = new TempDir("sum");
        var summary = dir.Combine("step summary.md");
        var checkout = dir.Combine("repo");
        var log = new GitHubActionsLog(new RecordingLog(), new StringWriter(), checkout, summary);
        for (var i = 1; i <= 25; i++)
        {
            log.Diagnostic(new GoDiagnostic(GoDiagnosticSeverity.Error, "GO1001", $"problem {i} | with pipe", Path.Combine(checkout, "a b", "x.go"), i, 2));
        }

        var build = new GoBuildResult(
            [
                new GoBuildTargetResult("example.com/app", Path.Combine(checkout, "app"), "/out/app", Skipped: false, Succeeded: true),
                new GoBuildTargetResult("example.com/cli", Path.Combine(checkout, "cli"), "/out/cli", Skipped: true, Succeeded: true),
                new GoBuildTargetResult("example.com/bad", Path.Combine(checkout, "bad"), "/out/bad", Skipped: false, Succeeded: false),
            ],
            []);
        log.FlushStepSummary("Build", StepSummary.Build(build, TimeSpan.FromSeconds(3.25), checkout));

        var text = File.ReadAllText(summary);
        var tableRows = text.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.That(tableRows.Count(r => r.Contains("GO1001", StringComparison.Ordinal)), Is.EqualTo(25), "all 25, not the ~10 annotations show");
        Assert.That(tableRows.Where(r => r.Contains("GO1001", StringComparison.Ordinal)).All(r => r.Split(" | ").Length == 4), "pipes in messages stay escaped inside their cell");
        Assert.That(text, Does.Contain("| example.com/cli | cli | ⏭️ skipped (up to date) |"));
        Assert.That(text, Does.Contain("| example.com/bad | bad | ❌ failed |"));
        Assert.That(text, Does.Contain("1 built, 1 skipped, 1 failed in 3.3 s."));
        Assert.That(text, Does.Contain("a b/x.go:25:2"));

        log.FlushStepSummary("Again");
        Assert.That(File.ReadAllText(summary)[text.Length..], Does.Not.Contain("GO1001"), "a flush starts collecting afresh");
    }

    [Test]
    public void A_summary_over_one_mebibyte_is_cut_at_a_line_with_a_note_never_rejected()
    {
        using var dir = new TempDir("big");
        var summary = dir.Combine("summary.md");
        File.WriteAllText(summary, "# earlier step part\n");
        var big = new StringBuilder();
        for (var i = 0; big.Length < 1_300_000; i++) big.Append("| row ").Append(i).Append(" | ünïcödé ✓ |\n");
        var inner = new RecordingLog();

        Assert.That(WorkflowFiles.AppendSummary(summary, big.ToString()), Is.False);

        var bytes = File.ReadAllBytes(summary);
        Assert.That(bytes.Length, Is.LessThanOrEqualTo(WorkflowFiles.SummaryLimitBytes));
        Assert.That(bytes.Length, Is.GreaterThan(WorkflowFiles.SummaryLimitBytes - 200), "uses the room it has");
        var text = Encoding.UTF8.GetString(bytes);
        Assert.That(text, Does.StartWith("# earlier step part\n| row 0 |"));
        var lines = text.Split('\n');
        var note = lines.Single(l => l.StartsWith("> **Summary truncated:**", StringComparison.Ordinal));
        Assert.That(lines.Where(l => l.StartsWith("| row", StringComparison.Ordinal)).All(l => l.EndsWith("✓ |", StringComparison.Ordinal)), "no row cut in half");
        var omitted = long.Parse(Regex.Match(note, "; ([0-9,]+) of").Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        var kept = Encoding.UTF8.GetByteCount(text[text.IndexOf("| row 0", StringComparison.Ordinal)..text.IndexOf("\n> **Summary", StringComparison.Ordinal)]);
        Assert.That(kept + omitted, Is.EqualTo(Encoding.UTF8.GetByteCount(big.ToString())));
    }

    [Test]
    public void A_profile_section_renders_top_functions_and_artifact_links()
    {
        var env = new GoDebug.Tasks.Hosting.EnvironmentSnapshot(
            new Dictionary<string, string> { ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "octo/mono", ["GITHUB_RUN_ID"] = "991" }, "/");
        var section = StepSummary.Profile(
            "CPU profile (api)",
            [("main.(*Server).handle|slow", 41.25, 60), ("runtime.mallocgc", 12.5, 12.5)],
            [StepSummary.RunArtifacts(env)!, new SummaryLink("flame graph (a).svg", "https://example.com/a (1).svg")],
            "30 s at 100 Hz");
        var md = StepSummary.Render("Profile", [section]);
        Assert.That(md, Does.Contain("### CPU profile (api)\n\n30 s at 100 Hz\n\n| Function | Flat | Cumulative |\n|---|---|---|\n"));
        Assert.That(md, Does.Contain("| main.(*Server).handle\\|slow | 41.3% | 60.0% |"));
        Assert.That(md, Does.Contain("- [Artifacts of this run](https://github.com/octo/mono/actions/runs/991#artifacts)"));
        Assert.That(md, Does.Contain("- [flame graph (a).svg](https://example.com/a%20%281%29.svg)"));
        Assert.That(StepSummary.RunArtifacts(env.With("GITHUB_RUN_ID", null)), Is.Null);
    }

    [Test]
    public void Secrets_are_masked_line_by_line()
    {
        var console = new StringWriter();
        var log = new GitHubActionsLog(new RecordingLog(), console, null);
        log.MaskSecret("ghp_first\r\nsecond-line\n");
        Assert.That(console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "::add-mask::ghp_first", "::add-mask::second-line" }));

        var plain = new RecordingLog();
        plain.MaskSecret("ghp_first");
        Assert.That(plain.Lines, Is.Empty, "outside Actions nothing is written");
    }
}
