using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

public class GoRequirementTests
{
    [Test]
    public void Setting_wins_over_every_file()
    {
        using var dir = new TempDir();
        dir.Write(".go-version", "1.21.4\n");
        dir.Write("go.mod", "module m\n\ngo 1.20\n");
        var r = GoRequirementResolver.Resolve("1.22.3", dir.Path)!;
        Assert.That((r.Version.ToString(), r.Exact, r.Origin), Is.EqualTo(("1.22.3", true, "setting")));
    }

    [Test]
    public void Go_version_file_wins_over_go_work_and_go_mod()
    {
        using var dir = new TempDir();
        var file = dir.Write(".go-version", "# pinned for CI\n1.21.4\n");
        dir.Write("go.work", "go 1.22\n");
        dir.Write("go.mod", "module m\ngo 1.20\n");
        var r = GoRequirementResolver.Resolve(null, dir.Path)!;
        Assert.That((r.Version.ToString(), r.Exact, r.Origin, r.Line), Is.EqualTo(("1.21.4", true, file, 2)));
    }

    [Test]
    public void Go_work_wins_over_go_mod_and_is_found_above_the_working_directory()
    {
        using var dir = new TempDir();
        var work = dir.Write("go.work", "go 1.22\n\nuse ./svc\n");
        dir.Write("svc/go.mod", "module svc\ngo 1.20\n");
        var r = GoRequirementResolver.Resolve(null, dir.Combine("svc"))!;
        Assert.That((r.Version.ToString(), r.Exact, r.Origin, r.Line), Is.EqualTo(("1.22", false, work, 1)));
        Assert.That(r.Minimum.ToString(), Is.EqualTo("1.22.0"));
    }

    [Test]
    public void Toolchain_line_wins_over_go_line()
    {
        using var dir = new TempDir();
        var mod = dir.Write("go.mod", "module m\n\ngo 1.21 // language\ntoolchain go1.22.5\n");
        var r = GoRequirementResolver.Resolve(null, dir.Path)!;
        Assert.That((r.Version.ToString(), r.Exact, r.Line), Is.EqualTo(("1.22.5", true, 4)));
        Assert.That(r.Origin, Is.EqualTo(mod));
    }

    [Test]
    public void Toolchain_default_falls_back_to_the_go_line()
    {
        using var dir = new TempDir();
        dir.Write("go.mod", "module m\ngo 1.21.3\ntoolchain default\n");
        var r = GoRequirementResolver.Resolve(null, dir.Path)!;
        Assert.That((r.Version.ToString(), r.Exact), Is.EqualTo(("1.21.3", false)), "a go line is a minimum even with a patch");
    }

    [TestCase("1.22", "1.22.0", true)]
    [TestCase("1.22", "1.23.1", true)]
    [TestCase("1.22", "1.21.9", false)]
    [TestCase("1.22.3", "1.22.3", true)]
    [TestCase("1.22.3", "1.22.4", false)]
    public void Minimum_and_pin_semantics(string setting, string candidate, bool satisfied)
    {
        var r = GoRequirementResolver.Resolve(setting, ".")!;
        Assert.That(r.IsSatisfiedBy(GoVersion.Parse(candidate)), Is.EqualTo(satisfied));
    }

    [Test]
    public void No_file_and_no_setting_means_no_requirement()
    {
        using var dir = new TempDir();
        Assert.That(GoRequirementResolver.Resolve(null, dir.Path), Is.Null);
    }

    [TestCase("go.mod", "module m\n\ngo one.two\n", "go.mod:3", "one.two")]
    [TestCase("go.mod", "module m\ngo 1.21 1.22\n", "go.mod:2", "go 1.21 1.22")]
    [TestCase("go.mod", "module m\ngo 1.21\ntoolchain go1.22.5-corp\n", "go.mod:3", "go1.22.5-corp")]
    [TestCase("go.mod", "module m\ngo 1.21.0rc1\n", "go.mod:2", "1.21.0rc1")]
    [TestCase("go.work", "go 1.22\ntoolchain 1.22.1\n", "go.work:2", "1.22.1")]
    [TestCase(".go-version", "\nlatest\n", ".go-version:2", "latest")]
    [TestCase(".go-version", "\n\n", ".go-version", "empty")]
    public void Malformed_files_name_file_and_line(string file, string content, string where, string token)
    {
        using var dir = new TempDir();
        dir.Write(file, content);
        Assert.That(
            () => GoRequirementResolver.Resolve(null, dir.Path),
            Throws.TypeOf<GoDebugException>().With.Message.Contains(where).And.Message.Contains(token));
    }

    [Test]
    public void A_malformed_line_elsewhere_in_go_mod_fails_too_as_it_does_for_go()
    {
        using var dir = new TempDir();
        dir.Write("go.mod", "module m\n\ngo 1.22\n\nrequire example.com/dep latest\n");
        Assert.That(
            () => GoRequirementResolver.Resolve(null, dir.Path),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("go.mod:5").And.Message.Contains("latest"));
    }

    [Test]
    public void A_work_file_named_by_gowork_is_read_as_go_work()
    {
        using var dir = new TempDir();
        var work = dir.Write("ci.work", "go 1.22\n\nuse ./svc\n\ntoolchain go1.23.1\n");
        var r = GoRequirementResolver.ReadModFile(work)!;
        Assert.That((r.Version.ToString(), r.Exact, r.Origin, r.Line), Is.EqualTo(("1.23.1", true, work, 5)));
    }

    [Test]
    public void Malformed_setting_names_the_setting()
    {
        Assert.That(() => GoRequirementResolver.Resolve("1.x", "."), Throws.TypeOf<GoDebugException>().With.Message.Contains("'1.x'"));
    }
}
