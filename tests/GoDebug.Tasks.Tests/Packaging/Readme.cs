using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>The README's code blocks, read from README.md itself so the tests compile and run exactly what users copy.</summary>
internal static class Readme
{
    /// <summary>The version the README's snippets pin, which Pack gives the packages by default in this checkout.</summary>
    public const string Version = "0.1.0-dev";

    public static string Text => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).ReplaceLineEndings("\n");

    /// <summary>The fenced blocks of <paramref name="language"/> between <paramref name="heading"/> (a whole line) and the next heading.</summary>
    public static IReadOnlyList<string> Blocks(string heading, string language)
    {
        var blocks = new List<string>();
        var inSection = false;
        var seen = false;
        List<string>? code = null;
        string? codeLanguage = null;
        foreach (var line in Text.Split('\n'))
        {
            if (code is not null)
            {
                if (line == "```")
                {
                    if (inSection && codeLanguage == language) blocks.Add(string.Join('\n', code) + "\n");
                    code = null;
                }
                else
                {
                    code.Add(line);
                }
            }
            else if (line.StartsWith("```", StringComparison.Ordinal))
            {
                code = [];
                codeLanguage = line[3..].Trim();
            }
            else if (line.StartsWith('#'))
            {
                inSection = line == heading;
                seen |= inSection;
            }
        }

        Assert.That(seen, Is.True, $"README.md has no heading '{heading}'");
        Assert.That(blocks, Is.Not.Empty, $"README.md has no ```{language} block under '{heading}'");
        return blocks;
    }

    /// <summary>The only <paramref name="language"/> block under <paramref name="heading"/> that contains <paramref name="marker"/>.</summary>
    public static string Block(string heading, string language, string marker)
    {
        var found = Blocks(heading, language).Where(b => b.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.That(found, Has.Count.EqualTo(1), $"README.md should have one ```{language} block with '{marker}' under '{heading}'");
        return found[0];
    }

    /// <summary><paramref name="snippet"/> pinned to <paramref name="version"/> instead of the README's version.</summary>
    public static string WithVersion(string snippet, string version)
    {
        Assert.That(snippet, Does.Contain(Version), "the snippet pins the packages' version");
        return snippet.Replace(Version, version, StringComparison.Ordinal);
    }
}
