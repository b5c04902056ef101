using GoDebug.Tasks.Building;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Building;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Debugging;

/// <summary>Debug builds link with uncompressed DWARF (faster to link, read in place by dlv), merged with the user's own ldflags.</summary>
public sealed class DebugLinkFlagsTests
{
    [Test]
    public async Task A_debug_binary_records_uncompressed_dwarf_beside_the_users_ldflags_and_a_release_binary_does_not()
    {
        using var sample = new HelloSample();
        var debug = await sample.BuildOneAsync(sample.Settings("hello") with { Configuration = GoBuildConfiguration.Debug, LdFlags = "-X main.version=7" });
        var release = await sample.BuildOneAsync(sample.Settings("hello") with { Configuration = GoBuildConfiguration.Release, LdFlags = "-X main.version=7" });
        var go = await RealTools.GoAsync();

        // go version -m prints the build settings go stamped into the binary: what the linker was really given.
        var debugInfo = (await ProcessRunner.Default.RunAsync(go.Command(["version", "-m", debug], sample.Root), CancellationToken.None)).EnsureSuccess().StandardOutput;
        var releaseInfo = (await ProcessRunner.Default.RunAsync(go.Command(["version", "-m", release], sample.Root), CancellationToken.None)).EnsureSuccess().StandardOutput;
        Assert.That(debugInfo, Does.Contain("-ldflags=\"-compressdwarf=false -X main.version=7\""), debugInfo);
        // A -trimpath (Release) binary does not record its ldflags; compressdwarf must not be among them either way.
        Assert.That(releaseInfo, Does.Contain("-trimpath=true").And.Not.Contain("compressdwarf"), releaseInfo);
    }
}
