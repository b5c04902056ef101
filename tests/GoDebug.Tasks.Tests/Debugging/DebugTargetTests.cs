using GoDebug.Tasks.Building;
using GoDebug.Tasks.Cake;
using GoDebug.Tasks.Debugging;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Tests.Debugging;

public class DebugTargetTests
{
    private static readonly GoBuildResult Built = new(
        [Target("example.com/sample/app"), Target("example.com/sample/tools/cli")],
        []);

    [TestCase("app", "example.com/sample/app")]
    [TestCase("tools/cli", "example.com/sample/tools/cli")]
    [TestCase("example.com/sample/tools/cli", "example.com/sample/tools/cli")]
    public void A_name_picks_the_package_it_ends_with(string name, string package)
        => Assert.That(DebugTarget.Choose(Built, name, new RecordingLog()).Package, Is.EqualTo(package));

    [Test]
    public void No_name_takes_the_first_and_says_there_was_a_choice()
    {
        var log = new RecordingLog();
        Assert.That(DebugTarget.Choose(Built, null, GoDebugHost.Create(log, CakeHints.Instance)).Package, Is.EqualTo("example.com/sample/app"));
        Assert.That(log.Text, Does.Contain("--program=NAME"), "the choice is named in the front end's words");
    }

    [Test]
    public void A_name_that_matches_nothing_lists_what_was_built()
    {
        // "pp" is a suffix of "app" but not a path element: it must not match.
        Assert.That(
            () => DebugTarget.Choose(Built, "pp", new RecordingLog()),
            Throws.TypeOf<GoDebugException>().With.Message.Contains("'pp'").And.Message.Contains("example.com/sample/tools/cli"));
    }

    private static GoBuildTargetResult Target(string package)
        => new(package, "/ws/" + package.Split('/')[^1], "/ws/.godebug/bin/Debug/" + package.Split('/')[^1], Skipped: false, Succeeded: true);
}
