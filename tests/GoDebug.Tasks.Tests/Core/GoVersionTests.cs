using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Core;

public class GoVersionTests
{
    [TestCase("1.22", "1.22rc1")]
    [TestCase("1.22rc1", "1.22rc2")]
    [TestCase("1.22beta2", "1.22rc1")]
    [TestCase("1.22rc2", "1.22.0")]
    [TestCase("1.22.0", "1.22.1")]
    [TestCase("1.22.9", "1.22.10")]
    [TestCase("1.9.9", "1.10")]
    [TestCase("go1.21.13", "go1.22")]
    public void Orders_like_the_go_toolchain(string lower, string higher)
    {
        Assert.That(GoVersion.Parse(lower), Is.LessThan(GoVersion.Parse(higher)));
        Assert.That(GoVersion.Parse(higher), Is.GreaterThan(GoVersion.Parse(lower)));
    }

    [TestCase("go1.23.5", "1.23.5", true)]
    [TestCase("1.22", "1.22", false)]
    [TestCase("1.23rc1", "1.23rc1", false)]
    public void Parses_and_prints(string text, string printed, bool release)
    {
        var v = GoVersion.Parse(text);
        Assert.That(v.ToString(), Is.EqualTo(printed));
        Assert.That(v.IsRelease, Is.EqualTo(release));
    }

    [TestCase("")]
    [TestCase("latest")]
    [TestCase("1.22.3rc1")]
    [TestCase("v1.22")]
    [TestCase("1.x")]
    public void Rejects_what_is_not_a_version(string text)
    {
        Assert.That(GoVersion.TryParse(text), Is.Null);
        Assert.That(() => GoVersion.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains("not a Go version"));
    }

    [Test]
    public void Reads_go_version_output()
    {
        var v = GoTool.ParseGoVersionOutput("go version go1.23.5 linux/amd64\n", "go");
        Assert.That(v, Is.EqualTo(GoVersion.Parse("1.23.5")));
    }
}
