using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

public class DelveSupportTests
{
    [Test]
    public void Reads_the_version_line_of_dlv_version()
    {
        var v = DelveInstaller.ParseVersionOutput("Delve Debugger\nVersion: 1.20.2\nBuild: $Id: e0c278ad8e0126a312b553b8e171e81bcbd37f60 $\n");
        Assert.That(v, Is.EqualTo(new Version(1, 20, 2)));
        Assert.That(DelveInstaller.ParseVersionOutput("Delve Debugger\n"), Is.Null);
    }

    // Delve's release notes: 1.7.0 added Go 1.17, 1.8.0 Go 1.18, 1.9.0 Go 1.19, then 1.20.0 Go 1.20 and minors in step.
    [TestCase("1.7.3", "1.17")]
    [TestCase("1.9.1", "1.19")]
    [TestCase("1.19.0", "1.19")]
    [TestCase("1.20.2", "1.20")]
    [TestCase("1.23.1", "1.23")]
    [TestCase("1.25.0", "1.25")]
    public void Newest_supported_go_follows_delve_releases(string delve, string go)
        => Assert.That(DelveInstaller.NewestSupportedGo(Version.Parse(delve))?.ToString(), Is.EqualTo(go));

    [TestCase("1.20.2", "1.20.14", true)]
    [TestCase("1.20.2", "1.23.5", false)]
    [TestCase("1.23.0", "1.23.5", true)]
    [TestCase("1.24.0", "1.23.5", true)]
    [TestCase("1.19.0", "1.20.0", false)]
    [TestCase("1.24.0", "1.19.8", false)]
    [TestCase("1.24.0", "1.21.0", true)]
    [TestCase("1.20.2", "1.19.8", true)]
    public void Supports_compares_language_versions(string delve, string go, bool supported)
        => Assert.That(DelveInstaller.Supports(Version.Parse(delve), GoVersion.Parse(go)), Is.EqualTo(supported));
}
