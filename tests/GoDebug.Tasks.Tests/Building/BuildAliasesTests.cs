using System.Globalization;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Cake;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>The Cake aliases over Cake's own context classes: results, CakeException on failure, errors in Cake's log.</summary>
[TestFixture]
public sealed class BuildAliasesTests : SampleCopyFixture
{
    [Test]
    public async Task GoBuildReturnsTargetsThrowsAfterLoggingErrorsAndGoCleanRemovesOutputs()
    {
        var go = await RealTools.GoAsync();
        var toolchain = new GoToolchainResult(go.Executable, go.GoRoot, go.Version, GoSource.Path, go.Environment);
        var log = new ListLog();
        var context = CreateContext(log);
        context.Environment.WorkingDirectory = new DirectoryPath(System.IO.Path.GetDirectoryName(Sample.Root)!);
        var settings = Sample.Settings("hello") with { Workspace = System.IO.Path.GetFileName(Sample.Root) };

        var built = context.GoBuild(toolchain, settings);
        Assert.That(built.Targets.Single().OutputPath, Is.EqualTo(Sample.Combine(".godebug", "bin", "Debug", "hello")).And.Exist, "a relative Workspace is Cake's working directory's");

        Sample.Write("hello/main.go", HelloSample.BrokenHelloMain);
        var failure = Assert.Throws<CakeException>(() => context.GoBuild(toolchain, settings));
        Assert.That(failure!.Message, Does.Contain(GoBuilder.BuildFailedCode).And.Contain(Hello));
        var main = Sample.Combine("hello", "main.go");
        Assert.That(log.Entries, Has.Some.Matches<(LogLevel Level, string Text)>(e => e.Level == LogLevel.Error && e.Text.StartsWith($"{main}(10,{HelloSample.BrokenColumn})", StringComparison.Ordinal) && e.Text.Contains("syntax error", StringComparison.Ordinal)));

        context.GoClean(settings);
        Assert.That(built.Targets.Single().OutputPath, Does.Not.Exist);
    }

    private static CakeContext CreateContext(ICakeLog log)
    {
        var fileSystem = new global::Cake.Core.IO.FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools = new ToolLocator(environment, new ToolRepository(environment), new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeContext(
            fileSystem,
            environment,
            globber,
            log,
            new CakeArguments(Array.Empty<string>().ToLookup(a => a)),
            new ProcessRunner(fileSystem, environment, log, tools, configuration),
            new WindowsRegistry(),
            tools,
            new CakeDataService(),
            configuration,
            new ToolInstaller(environment, tools, configuration, log, []),
            new NoServices());
    }

    /// <summary>The aliases resolve no services; Cake's context only requires a provider to exist.</summary>
    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    /// <summary>Keeps what the alias logged, formatted the way Cake formats it.</summary>
    private sealed class ListLog : ICakeLog
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
            => Entries.Add((level, args.Length == 0 ? format.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal) : string.Format(CultureInfo.InvariantCulture, format, args)));
    }
}
