using GoDebug.Tasks.Building;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>go build's stderr shapes (as Go 1.23 prints them) become diagnostics with absolute paths.</summary>
[TestFixture]
public sealed class GoBuildOutputParserTests
{
    [Test]
    public void PathsResolveAgainstTheWorkingDirectoryThenThePackageDirectory()
    {
        using var dir = new TempDir("parse");
        var inWorkspace = dir.Write("app/main.go", "package main\n");
        var inPackage = dir.Write("lib/util/util.go", "package util\n");
        const string output = "# example.com/app\n"
            + "app/main.go:10:36: syntax error: unexpected newline in argument list; possibly missing comma or )\n"
            + "# example.com/lib/util\n"
            + "./util.go:3:2: undefined: y\n"
            + "./util.go:4: missing return\n"
            + "./util.go:5:9: cannot use x (variable of type int) as string value in return statement\n"
            + "\thave (int)\n"
            + "\twant (string)\n";
        var dirs = new Dictionary<string, string> { ["example.com/lib/util"] = dir.Combine("lib", "util") };

        var found = GoBuildOutputParser.Parse(output, dir.Path, dirs);

        Assert.That(found.Select(f => (f.Package, f.Diagnostic.File, f.Diagnostic.Line, f.Diagnostic.Column)), Is.EqualTo(new[]
        {
            ((string?)"example.com/app", (string?)inWorkspace, 10, 36),
            ("example.com/lib/util", inPackage, 3, 2),
            ("example.com/lib/util", inPackage, 4, 0),
            ("example.com/lib/util", inPackage, 5, 9),
        }));
        Assert.That(found[0].Diagnostic.Message, Is.EqualTo("syntax error: unexpected newline in argument list; possibly missing comma or )"));
        Assert.That(found[3].Diagnostic.Message, Is.EqualTo("cannot use x (variable of type int) as string value in return statement have (int) want (string)"));
        Assert.That(found.All(f => f.Diagnostic.Severity == GoDiagnosticSeverity.Error), Is.True);
    }

    [Test]
    public void LinesWithoutAPositionAreNotDiagnostics()
    {
        var found = GoBuildOutputParser.Parse("go: downloading example.com/x v1.0.0\nexample.com/app\nnote: module requires Go 1.99\n", "/w", new Dictionary<string, string>());

        Assert.That(found, Is.Empty);
    }

    [Test]
    public void GitHubAnnotationsUseCheckoutRelativePathsAndEscape()
    {
        var file = Path.Combine("/repo", "svc", "main.go");
        var error = new GoDiagnostic(GoDiagnosticSeverity.Error, string.Empty, "100% wrong\nsecond line", file, 3, 7);
        var ours = new GoDiagnostic(GoDiagnosticSeverity.Error, GoBuilder.BuildFailedCode, "go build failed");

        Assert.That(GitHubAnnotations.Format(error, "/repo"), Is.EqualTo("::error file=svc/main.go,line=3,col=7::100%25 wrong%0Asecond line"));
        Assert.That(GitHubAnnotations.Format(error, "/repo/"), Does.StartWith("::error file=svc/main.go,"));
        Assert.That(GitHubAnnotations.Format(ours, "/repo"), Is.EqualTo("::error title=GO1001::go build failed"));
        Assert.That(GitHubAnnotations.Format(error with { Severity = GoDiagnosticSeverity.Warning }, "/elsewhere"), Does.StartWith("::warning file=/repo/svc/main.go,"));
    }
}
