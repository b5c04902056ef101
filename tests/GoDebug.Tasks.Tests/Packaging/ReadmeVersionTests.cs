using System.Text.RegularExpressions;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>The README names one version for the three packages, the one `./build.sh --target=Pack` gives them here.</summary>
public sealed partial class ReadmeVersionTests
{
    [Test]
    public async Task The_readme_version_is_the_one_Pack_gives_by_default()
    {
        // Pack's rule: the newest v* tag of the checkout, else 0.1.0-dev.
        var tags = await ProcessRunner.Default.RunAsync("git", ["tag", "--list", "v*", "--sort=-v:refname"], RepoPaths.Root, CancellationToken.None);
        var newest = tags.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var packs = newest is null ? "0.1.0-dev" : newest[1..];
        Assert.That(packs, Is.EqualTo(Readme.Version));
    }

    [Test]
    public void Every_version_the_readme_gives_a_package_of_ours_is_that_one()
    {
        var mentions = PackageVersion().Matches(Readme.Text).Select(m => (m.Value, Version: m.Groups["v"].Value)).ToList();
        Assert.That(mentions, Has.Count.GreaterThanOrEqualTo(6), "the install line, the #addin line, the three snippets, the pack output");
        Assert.That(mentions.Where(m => m.Version != Readme.Version).Select(m => m.Value), Is.Empty);
    }

    // #addin ...version=V, Include="..." Version="V", GoDebug.Templates@V, Package.V.nupkg
    [GeneratedRegex(@"Cake\.GoDebug&version=(?<v>[^&\s]+)|Include=""(?:Cake\.GoDebug|GoDebug\.Tasks)"" Version=""(?<v>[^""]+)""|GoDebug\.Templates@(?<v>\S+)|(?:GoDebug\.Templates|GoDebug\.Tasks|Cake\.GoDebug|\})\.(?<v>\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\.nupkg")]
    private static partial Regex PackageVersion();
}
