using GoDebug.Tasks.Building;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>What counts as the part of a .go file that can change the build's file set.</summary>
[TestFixture]
public sealed class GoSourceHeaderTests
{
    private const string Source = "//go:build linux\n\n// Package x does things.\npackage x\n\n/*\n#include <stdio.h>\n*/\nimport \"C\"\n\nimport (\n\t\"fmt\" // printing\n\tstr \"strings\"\n\t_ \"embed\"\n)\n\n//go:embed data.txt\nvar data string\n\nfunc F() string { return fmt.Sprint(str.ToUpper(data)) }\n";

    [Test]
    public void BodyEditsKeepTheHeader()
    {
        var edited = Source.Replace("str.ToUpper(data)", "str.ToLower(data) + \"import (\"", StringComparison.Ordinal) + "\nfunc G() {}\n";

        Assert.That(GoSourceHeader.Extract(edited), Is.EqualTo(GoSourceHeader.Extract(Source)).And.Not.Null);
    }

    [TestCase("//go:build linux", "//go:build darwin")]
    [TestCase("package x", "package y")]
    [TestCase("#include <stdio.h>", "#include <stdlib.h>")]
    [TestCase("\t\"fmt\" // printing", "\t\"fmt\"\n\t\"os\"")]
    [TestCase("str \"strings\"", "str \"bytes\"")]
    [TestCase("//go:embed data.txt", "//go:embed other.txt")]
    public void EditsThatCanMoveTheFileSetChangeTheHeader(string from, string to)
    {
        var edited = Source.Replace(from, to, StringComparison.Ordinal);

        Assert.That(edited, Is.Not.EqualTo(Source));
        Assert.That(GoSourceHeader.Extract(edited), Is.Not.EqualTo(GoSourceHeader.Extract(Source)));
    }

    private const string PureGo = "//go:build !windows\n\n// Package y does things.\npackage y\n\nimport (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\nimport \"os\"\n\nfunc F() { fmt.Println(str.ToUpper(os.Args[0])) }\n";

    [TestCase("// Package y does things.", "// Package y does other things,\n// on two lines.")]
    [TestCase("import (\n\t\"fmt\"\n\tstr \"strings\"\n)\n\nimport \"os\"", "import (\n\t\"os\"\n\n\tstr \"strings\" // upper-casing\n\t\"fmt\"\n)")]
    [TestCase("str \"strings\"", "s \"strings\"")]
    [TestCase("//go:build !windows\n", "//go:build !windows\n// Copyright notice.\n")]
    public void Comments_layout_import_order_and_aliases_keep_the_header_of_a_file_without_cgo(string from, string to)
    {
        var edited = PureGo.Replace(from, to, StringComparison.Ordinal);

        Assert.That(edited, Is.Not.EqualTo(PureGo));
        Assert.That(GoSourceHeader.Extract(edited), Is.EqualTo(GoSourceHeader.Extract(PureGo)).And.Not.Null);
    }

    [TestCase("//go:build !windows", "//go:build linux")]
    [TestCase("package y", "package z")]
    [TestCase("import \"os\"", "import \"io\"")]
    [TestCase("\tstr \"strings\"\n", "\tstr \"strings\"\n\t\"bytes\"\n")]
    public void Constraints_package_and_the_set_of_imports_change_the_header_of_a_file_without_cgo(string from, string to)
    {
        var edited = PureGo.Replace(from, to, StringComparison.Ordinal);

        Assert.That(edited, Is.Not.EqualTo(PureGo));
        Assert.That(GoSourceHeader.Extract(edited), Is.Not.EqualTo(GoSourceHeader.Extract(PureGo)));
    }

    [TestCase("not go at all")]
    [TestCase("package x\n\nimport (\n\t\"fmt\"\n")]
    [TestCase("package x\n/* unterminated")]
    public void UnscannableSourceHasNoHeader(string source)
        => Assert.That(GoSourceHeader.Extract(source), Is.Null);
}
