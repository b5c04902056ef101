using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Debugging;

/// <summary>Program arguments split as a shell splits them, checked against bash itself.</summary>
public class ProgramArgumentsTests
{
    private static readonly string[] SameAsBash =
    [
        "-name 'a b'",
        "-name \"a b\" -v",
        "  leading   and\ttabs  ",
        "a'b'\"c\"d",
        "'' \"\" x",
        "'it'\\''s' \"say \\\"hi\\\"\"",
        "back\\ slash \\\\ \"\\\\ \\q\" '\\n'",
        "\"double 'keeps' single\" 'single \"keeps\" double'",
        "--flag=\"value with spaces\" --other='x=y'",
        "'$HOME' '`cmd`' '|&;<>()'",
        "trailing\\",
        "line\\\ncontinued \"in\\\nquotes\"",
        "mid#hash a~b '#quoted' '~' * star [x] ?",
        "--config=~/x 'a'=~/y a\\=~/y P=a:b~ x=\\~",
        "ünïcödé 'ß ø'",
    ];

    [TestCaseSource(nameof(SameAsBash))]
    public async Task Words_are_the_ones_bash_passes_to_a_program(string line)
    {
        // printf '%s\0' prints each argument it receives followed by NUL: the words exactly, whatever they hold.
        // In an empty folder a glob matches nothing, so bash passes it on as written, as the parser does.
        using var empty = new TempDir("args");
        var bash = await ProcessRunner.Default.RunAsync("bash", ["-c", "printf '%s\\0' " + line], empty.Path, CancellationToken.None);
        bash.EnsureSuccess();
        var expected = bash.StandardOutput.Split('\0')[..^1];

        Assert.That(ProgramArguments.Parse(line, "--args"), Is.EqualTo(expected));
    }

    [Test]
    public void The_usual_case_keeps_a_quoted_value_in_one_argument()
        => Assert.That(ProgramArguments.Parse("-name 'a b' -port 8080", "--args"), Is.EqualTo(new[] { "-name", "a b", "-port", "8080" }));

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" \t\n ")]
    public void Blank_means_no_arguments(string? line)
        => Assert.That(ProgramArguments.Parse(line, "--args"), Is.Empty);

    [TestCase("-name 'a b", "unterminated single quote opened at character 7")]
    [TestCase("x \"a 'b'", "unterminated double quote opened at character 3")]
    [TestCase("\"ends in escaped quote\\\"", "unterminated double quote opened at character 1")]
    public void An_unterminated_quote_names_the_source_and_where_it_opened(string line, string message)
    {
        var ex = Assert.Throws<GoDebugException>(() => ProgramArguments.Parse(line, "--program-args"));
        Assert.That(ex!.Message, Does.StartWith("--program-args: " + message).And.EndWith(line));
    }

    [TestCase("a > out.txt", '>', 3)]
    [TestCase("a|b", '|', 2)]
    [TestCase("x; rm -rf /", ';', 2)]
    [TestCase("-home $HOME", '$', 7)]
    [TestCase("\"$(date)\"", '$', 2)]
    [TestCase("`id`", '`', 1)]
    [TestCase("-tag #1", '#', 6)]
    [TestCase("-config ~/app.yaml", '~', 9)]
    [TestCase("HOME_DIR=~/x", '~', 10)]
    [TestCase("P=a:~/b", '~', 5)]
    public void What_a_shell_would_expand_or_redirect_is_refused_instead_of_passed_on(string line, char refused, int at)
    {
        var ex = Assert.Throws<GoDebugException>(() => ProgramArguments.Parse(line, "--program-args"));
        Assert.That(ex!.Message, Does.StartWith($"--program-args: '{refused}' at character {at} would be").And.Contain("single quotes"));
    }
}
