using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

public sealed partial class DiagnosticCatalogTests
{
    private static IReadOnlyList<(string Code, string Where)> CodesInSource()
    {
        // The engine and both front ends: a front end reports a few codes of its own (GO0001 for an engine error in MSBuild).
        var source = Path.Combine(RepoPaths.Root, "src");
        return RepoPaths.SourceProjects.SelectMany(p => Directory.EnumerateFiles(p, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && Path.GetFileName(f) != "DiagnosticCatalog.cs")
            .SelectMany(f => QuotedCode().Matches(File.ReadAllText(f)).Select(m => (m.Groups[1].Value, Path.GetRelativePath(source, f))))
            .ToList();
    }

    [Test]
    public void Every_code_in_the_source_is_in_the_catalogue()
    {
        var known = DiagnosticCatalog.All.Select(e => e.Code).ToHashSet();
        var found = CodesInSource();
        Assert.That(found, Is.Not.Empty, "the source was read");
        Assert.That(found.Where(c => !known.Contains(c.Code)).Select(c => $"{c.Code} in {c.Where}"), Is.Empty);
    }

    [Test]
    public void Every_catalogue_code_is_used_once_listed_once()
    {
        var used = CodesInSource().Select(c => c.Code).ToHashSet();
        Assert.That(DiagnosticCatalog.All.Select(e => e.Code), Is.Unique);
        Assert.That(DiagnosticCatalog.All.Where(e => !used.Contains(e.Code)).Select(e => e.Code), Is.Empty, "a documented code nothing reports");
    }

    [Test]
    public void Docs_page_is_the_rendered_catalogue()
    {
        var page = Path.Combine(RepoPaths.Root, "docs", "diagnostics.md");
        Assert.That(File.Exists(page), Is.True, page);
        Assert.That(File.ReadAllText(page).ReplaceLineEndings("\n"), Is.EqualTo(DiagnosticCatalog.Markdown()),
            "regenerate docs/diagnostics.md from DiagnosticCatalog.Markdown()");
    }

    [GeneratedRegex(@"""(GO\d{4}|GODR\d{3})""")]
    private static partial Regex QuotedCode();
}
