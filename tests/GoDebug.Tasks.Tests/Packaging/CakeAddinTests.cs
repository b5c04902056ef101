using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>
/// The Cake.GoDebug package as Cake's addin guidelines lay it out, and loaded the way a user loads it: a build.cake
/// with the README's `#addin` line and nothing else of ours, in a repository outside this checkout.
/// </summary>
[NonParallelizable]
public sealed partial class CakeAddinTests
{
    [Test]
    public async Task Pack_makes_the_three_packages_of_one_version()
    {
        var feed = await PackedFeed.GetAsync();

        Assert.That(
            Directory.GetFiles(feed.Folder, "*.nupkg").Select(Path.GetFileName),
            Is.EquivalentTo(PackedFeed.PackageIds.Select(id => $"{id}.{feed.Version}.nupkg")),
            feed.PackOutput);
        Assert.That(XDocument.Load(Path.Combine(feed.Folder, "version.props")).Descendants("GoDebugTasksVersion").Single().Value, Is.EqualTo(feed.Version),
            "the folder says which version it holds, for MSBuild (samples/monorepo imports its feed's)");
        Assert.That(feed.StaleCopyRemoved, Is.True, "a repacked version must not be restored from NuGet's cache of an earlier pack");
        foreach (var id in PackedFeed.PackageIds)
        {
            var metadata = Nuspec(feed.Package(id));
            Assert.That(Element(metadata, "version").Value, Is.EqualTo(feed.Version), id);
            Assert.That(Element(metadata, "license").Value, Is.EqualTo("MIT"), id);
            Assert.That(Element(metadata, "icon").Value, Is.EqualTo("icon.png"), id);
            Assert.That(Element(metadata, "readme").Value, Is.EqualTo("README.md"), id);
        }
    }

    [Test]
    public async Task Addin_package_has_the_aliases_the_engine_and_their_docs_in_lib_and_its_dependencies_as_a_group()
    {
        var feed = await PackedFeed.GetAsync();
        using var zip = ZipFile.OpenRead(feed.Package("Cake.GoDebug"));
        var entries = zip.Entries.Select(e => e.FullName).ToList();

        Assert.That(
            entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)),
            Is.EquivalentTo(new[] { "lib/net10.0/Cake.GoDebug.dll", "lib/net10.0/Cake.GoDebug.xml", "lib/net10.0/GoDebug.Tasks.dll", "lib/net10.0/GoDebug.Tasks.xml" }),
            "Cake loads lib/<tfm>/ and shows the XML docs; the runner supplies Cake.Core and Cake.Common");
        Assert.That(entries, Does.Contain("icon.png").And.Contain("README.md"));

        var metadata = Nuspec(feed.Package("Cake.GoDebug"));
        Assert.That(Element(metadata, "tags").Value.Split(' '), Does.Contain("cake-addin"));
        var groups = metadata.Elements().Single(e => e.Name.LocalName == "dependencies").Elements().ToList();
        Assert.That(groups.Select(g => (string?)g.Attribute("targetFramework")), Is.EqualTo(new[] { "net10.0" }));
        var dependencies = groups[0].Elements().ToDictionary(d => (string)d.Attribute("id")!, d => (string)d.Attribute("version")!);
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants().ToDictionary(e => e.Name.LocalName, e => e.Value);
        Assert.That(dependencies, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["CliWrap"] = props["CliWrapVersion"],
            ["Google.Protobuf"] = props["GoogleProtobufVersion"],
            ["Octokit"] = props["OctokitVersion"],
        }), "the engine's runtime dependencies, which loaddependencies=true brings; never Cake.* or the engine as a package");

        // Cake's script runner drops an addin assembly whose types cannot all load; MSBuild must not be one of them.
        foreach (var dll in new[] { "lib/net10.0/Cake.GoDebug.dll", "lib/net10.0/GoDebug.Tasks.dll" })
        {
            Assert.That(References(zip.GetEntry(dll)!), Has.None.StartsWith("Microsoft.Build"), dll);
        }
    }

    [Test]
    public async Task A_build_cake_with_only_the_readme_addin_line_ensures_go_and_builds()
    {
        using var repo = await UserRepository.CreateAsync("addin");
        repo.Write("services/go.mod", "module example.com/hello\n\ngo 1.19\n");
        repo.Write("services/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello from a build.cake outside the checkout\") }\n");
        var script = Readme.WithVersion(Readme.Block("#### Cake script", "csharp", "#addin"), repo.Feed.Version);
        Assert.That(script, Does.StartWith("#addin nuget:?package=Cake.GoDebug&version=").And.Not.Contain("#r ").And.Not.Contain("using "));
        repo.Write("build.cake", script);

        var run = await repo.RunAsync("dotnet", UserRepository.CakeTool("Cake.dll"), "build.cake");

        var output = run.StandardOutput + run.StandardError;
        Assert.That(run.ExitCode, Is.Zero, output);
        var built = BuiltLine().Match(run.StandardOutput);
        Assert.That(built.Success, Is.True, output);
        var binary = built.Groups["path"].Value.Trim();
        Assert.That(binary, Does.StartWith(repo.Combine("services")));
        var ran = await repo.RunAsync(TimeSpan.FromMinutes(1), binary);
        Assert.That(ran.StandardOutput, Is.EqualTo("hello from a build.cake outside the checkout\n"), "the binary GoBuild reported exists and runs");
    }

    private static XElement Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement Element(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

    private static List<string> References(ZipArchiveEntry dll)
    {
        using var copy = new MemoryStream();
        using (var stream = dll.Open()) stream.CopyTo(copy);
        copy.Position = 0;
        using var pe = new PEReader(copy);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(r => reader.GetString(reader.GetAssemblyReference(r).Name)).ToList();
    }

    [GeneratedRegex(@"^built (?<path>/.+)$", RegexOptions.Multiline)]
    private static partial Regex BuiltLine();
}
