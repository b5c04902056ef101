using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>
/// The README's Frosting and MSBuild snippets as .NET projects of a user's repository, restored from the packed feed
/// and built by the real `dotnet build`.
/// </summary>
[NonParallelizable]
public sealed class ConsumerProjectTests
{
    /// <summary>
    /// Cake.Frosting is not served by the NuGet copy this suite restores from, so its few types the README's task uses
    /// stand here with Frosting's own names and shapes, over the real Cake.Core of the pinned runner.
    /// </summary>
    private const string FrostingShapes = """
        namespace Cake.Frosting;

        public class FrostingContext : Cake.Core.CakeContextAdapter
        {
            public FrostingContext(Cake.Core.ICakeContext context) : base(context) { }
        }

        public abstract class FrostingTask<T> where T : Cake.Core.ICakeContext
        {
            public virtual void Run(T context) { }
        }

        [System.AttributeUsage(System.AttributeTargets.Class)]
        public sealed class TaskNameAttribute(string name) : System.Attribute
        {
            public string Name { get; } = name;
        }
        """;

    [Test]
    public async Task The_readme_Frosting_task_compiles_against_the_addin_package_and_gets_its_dependencies()
    {
        using var repo = await UserRepository.CreateAsync("frost");
        var reference = Readme.WithVersion(Readme.Block("#### Cake Frosting", "xml", "Cake.GoDebug"), repo.Feed.Version);
        repo.Write("build/Build.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                {reference}
                <Reference Include="Cake.Core" HintPath="{UserRepository.CakeTool("Cake.Core.dll")}" />
              </ItemGroup>
            </Project>
            """);
        repo.Write("build/FrostingShapes.cs", FrostingShapes);
        // A Frosting program hands its tasks to CakeHost here; compiling them is what this test is about.
        repo.Write("build/Program.cs", "return 0;\n");
        repo.Write("build/DebugTask.cs", Readme.Block("#### Cake Frosting", "csharp", "FrostingTask"));

        var build = await repo.RunAsync("dotnet", "build", repo.Combine("build", "Build.csproj"), "-nodeReuse:false");

        Assert.That(build.ExitCode, Is.Zero, build.StandardOutput + build.StandardError);
        var bin = repo.Combine("build", "bin", "Debug", "net10.0");
        Assert.That(File.Exists(Path.Combine(bin, "Build.dll")), Is.True);
        Assert.That(
            new[] { "Cake.GoDebug.dll", "GoDebug.Tasks.dll", "CliWrap.dll", "Google.Protobuf.dll", "Octokit.dll" }.Where(f => !File.Exists(Path.Combine(bin, f))),
            Is.Empty,
            "a PackageReference brings the aliases, the engine and the dependency group");
    }

    [Test]
    public async Task The_readme_MSBuild_reference_builds_the_go_service_and_puts_nothing_of_ours_in_bin()
    {
        using var repo = await UserRepository.CreateAsync("msb");
        SampleCopyGo(repo);
        var snippet = Readme.WithVersion(Readme.Block("#### MSBuild", "xml", "GoDebug.Tasks"), repo.Feed.Version);
        repo.Write("src/App/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            {snippet}
            </Project>
            """);
        repo.Write("src/App/Program.cs", "System.Console.WriteLine(\"app\");\n");

        var build = await repo.RunAsync("dotnet", "build", repo.Combine("src", "App", "App.csproj"), "-nodeReuse:false");

        Assert.That(build.ExitCode, Is.Zero, build.StandardOutput + build.StandardError);
        var svc = repo.Combine("go", ".godebug", "bin", "Debug", "svc");
        Assert.That(File.Exists(svc), Is.True, build.StandardOutput);
        var info = await repo.RunAsync(RealTools.FindGo(), "version", "-m", svc);
        Assert.That(info.StandardOutput, Does.Contain("\tpath\texample.com/monorepo/svc"), "a Go binary built from the sample's svc module");

        var bin = repo.Combine("src", "App", "bin", "Debug", "net10.0");
        Assert.That(File.Exists(Path.Combine(bin, "App.dll")), Is.True);
        var ours = Directory.EnumerateFiles(bin).Select(Path.GetFileName)
            .Where(f => new[] { "GoDebug", "Cake", "CliWrap", "Octokit", "Google.Protobuf" }.Any(p => f!.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
        Assert.That(ours, Is.Empty, "a task pack adds nothing to a consumer's output");
    }

    private static void SampleCopyGo(UserRepository repo)
    {
        var from = Path.Combine(RepoPaths.Root, "samples", "monorepo", "go");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.godebug/", StringComparison.Ordinal)))
        {
            repo.Write("go/" + Path.GetRelativePath(from, file).Replace('\\', '/'), File.ReadAllText(file));
        }
    }
}
