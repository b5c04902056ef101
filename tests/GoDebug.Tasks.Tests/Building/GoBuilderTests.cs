using GoDebug.Tasks.Building;
using GoDebug.Tasks.Ci;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>Real incremental builds of a copy of the sample workspace with the real go.</summary>
[TestFixture]
public sealed class GoBuilderTests : SampleCopyFixture
{
    [Test]
    public async Task FirstBuildBuildsEveryMainThenNothingUntilAnInputChanges()
    {
        var first = await Sample.BuildAsync(Sample.Settings());

        Assert.That(first.Succeeded, Is.True, string.Join("\n", first.Diagnostics));
        Assert.That(first.Targets.Select(t => (t.Package, t.Skipped)), Is.EquivalentTo(new[] { (App, false), (Hello, false) }));
        var app = first.Targets.Single(t => t.Package == App).OutputPath;
        var hello = first.Targets.Single(t => t.Package == Hello).OutputPath;
        Assert.That(app, Is.EqualTo(Sample.Combine(".godebug", "bin", "Debug", "app")).And.Exist);
        Assert.That(File.Exists(Sample.Combine(".godebug", "build-state.Debug.json")), Is.True);
        var appTime = File.GetLastWriteTimeUtc(app);
        var helloTime = File.GetLastWriteTimeUtc(hello);

        var second = await Sample.BuildAsync(Sample.Settings());
        Assert.That(second.Targets.Select(t => (t.Package, t.Skipped, t.Succeeded)), Is.EquivalentTo(new[] { (App, true, true), (Hello, true, true) }));
        Assert.That(File.GetLastWriteTimeUtc(app), Is.EqualTo(appTime));

        // Same content, new mtime: hashed again, still nothing to build.
        File.SetLastWriteTimeUtc(Sample.Combine("module-a", "greet.go"), DateTime.UtcNow.AddMinutes(1));
        var touched = await Sample.BuildAsync(Sample.Settings());
        Assert.That(touched.Targets.All(t => t.Skipped), Is.True);

        File.AppendAllText(Sample.Combine("hello", "main.go"), "\n// edited\n");
        var third = await Sample.BuildAsync(Sample.Settings());
        Assert.That(third.Targets.Select(t => (t.Package, t.Skipped)), Is.EquivalentTo(new[] { (App, true), (Hello, false) }));
        Assert.That(File.GetLastWriteTimeUtc(app), Is.EqualTo(appTime));
        Assert.That(File.GetLastWriteTimeUtc(hello), Is.GreaterThan(helloTime));

        // A main package in a new folder is found without any setting.
        Sample.Write("hello/cmd/second/main.go", "package main\n\nfunc main() {}\n");
        var fourth = await Sample.BuildAsync(Sample.Settings());
        Assert.That(fourth.Targets.Single(t => t.Package == Hello + "/cmd/second").Skipped, Is.False);
        Assert.That(Sample.Combine(".godebug", "bin", "Debug", "second"), Does.Exist);
    }

    [Test]
    public async Task BodyEditsRebuildWithoutGoListAndImportEditsRefreshTheInputs()
    {
        var settings = Sample.Settings("hello");
        Assert.That((await Sample.BuildAsync(settings)).Succeeded, Is.True);

        var body = new RecordingLog();
        Sample.Write("hello/main.go", HelloSample.HelloMain.Replace("\"  bob  \"", "\"  ann  \"", StringComparison.Ordinal));
        Assert.That((await Sample.BuildAsync(settings, body)).Targets.Single().Skipped, Is.False);
        Assert.That(body.Text, Does.Not.Contain("asking go list"));

        // hello now imports module-b: go list runs, and module-b becomes one of hello's inputs.
        var imports = new RecordingLog();
        Sample.Write("hello/main.go", HelloSample.HelloMain
            .Replace("greet \"example.com/sample/module-a\"", "greet \"example.com/sample/module-a\"\n\tstats \"example.com/sample/module-b\"", StringComparison.Ordinal)
            .Replace("greet.Hello(\"  bob  \")", "greet.Hello(\"  bob  \"), stats.Sum([]int{1, 2})", StringComparison.Ordinal));
        var importEdit = await Sample.BuildAsync(settings, imports);
        Assert.That(importEdit.Succeeded, Is.True, string.Join("\n", importEdit.Diagnostics));
        Assert.That(imports.Text, Does.Contain("asking go list"));

        File.AppendAllText(Sample.Combine("module-b", "stats.go"), "\n// edited\n");
        Assert.That((await Sample.BuildAsync(settings)).Targets.Single().Skipped, Is.False, "module-b is an input of hello now");
    }

    [Test]
    public async Task CompileErrorIsADiagnosticAtItsPositionAndKeepsThePreviousBinary()
    {
        var settings = Sample.Settings("hello");
        var binary = await Sample.BuildOneAsync(settings);
        var good = await File.ReadAllBytesAsync(binary);

        var source = Sample.Write("hello/main.go", HelloSample.BrokenHelloMain);
        var log = new RecordingLog();
        var failed = await Sample.BuildAsync(settings, log);

        Assert.That(failed.Succeeded, Is.False);
        Assert.That(failed.Targets.Single().Succeeded, Is.False);
        var error = failed.Diagnostics.Single();
        Assert.That((error.File, error.Line, error.Column, error.Severity), Is.EqualTo((source, 10, HelloSample.BrokenColumn, GoDiagnosticSeverity.Error)));
        Assert.That(error.Message, Does.Contain("syntax error"));
        Assert.That(log.Diagnostics, Is.EqualTo(failed.Diagnostics), "every diagnostic reaches the log");
        Assert.That(await File.ReadAllBytesAsync(binary), Is.EqualTo(good), "the previous binary stays");
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(binary)!), Is.EqualTo(new[] { binary }), "no temporary output is left");

        // Nothing else changed, yet the failed target is retried (and still fails) rather than skipped.
        var again = await Sample.BuildAsync(settings);
        Assert.That(again.Targets.Single().Skipped, Is.False);
        Assert.That(again.Succeeded, Is.False);

        Sample.Write("hello/main.go", HelloSample.HelloMain);
        var fixedBuild = await Sample.BuildAsync(settings);
        Assert.That(fixedBuild.Succeeded, Is.True);
    }

    [Test]
    public async Task InGitHubActionsErrorsAreAlsoWorkflowAnnotations()
    {
        Sample.Write("hello/main.go", HelloSample.BrokenHelloMain);
        var environment = EnvironmentSnapshot.Capture().With("GITHUB_ACTIONS", "true").With("GITHUB_WORKSPACE", Sample.Root);
        using var console = new StringWriter();
        var recording = new RecordingLog();
        var host = GoDebugHost.Create(recording) with { Environment = environment, Log = LogPipeline.Compose(recording, environment, console) };

        var result = await GoBuilder.BuildAsync(Sample.Settings("hello"), await RealTools.GoAsync(), host, CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(console.ToString(), Does.Contain($"::error file=hello/main.go,line=10,col={HelloSample.BrokenColumn}::syntax error"));
        Assert.That(recording.Diagnostics.Select(d => d.Line), Does.Contain(10), "the host's own log still gets every diagnostic");
    }

    [Test]
    public async Task OutsideGitHubActionsNoWorkflowCommandIsWritten()
    {
        Sample.Write("hello/main.go", HelloSample.BrokenHelloMain);
        var environment = EnvironmentSnapshot.Capture().With("GITHUB_ACTIONS", null);
        using var console = new StringWriter();
        var recording = new RecordingLog();
        var host = GoDebugHost.Create(recording) with { Environment = environment, Log = LogPipeline.Compose(recording, environment, console) };

        var result = await GoBuilder.BuildAsync(Sample.Settings("hello"), await RealTools.GoAsync(), host, CancellationToken.None);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(recording.Diagnostics, Is.Not.Empty);
        Assert.That(console.ToString(), Is.Empty);
    }

    [Test]
    public async Task MainsWithTheSameNameAreNamedAfterTheirImportPaths()
    {
        Sample.Write("hello/cmd/app/main.go", "package main\n\nfunc main() {}\n");
        var result = await Sample.BuildAsync(Sample.Settings("app", "hello/cmd/app"));

        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
        var bin = Sample.Combine(".godebug", "bin", "Debug");
        Assert.That(result.Targets.Select(t => t.OutputPath), Is.EquivalentTo(new[] { Path.Combine(bin, "example.com_sample_app"), Path.Combine(bin, "example.com_sample_hello_cmd_app") }));
        Assert.That(result.Targets.Select(t => new FileInfo(t.OutputPath).Length).Distinct().Count(), Is.EqualTo(2), "two different binaries, neither overwrote the other");
    }

    [Test]
    public async Task TwoBuildsAtOnceTakeTurnsAndTheSecondFindsTheFirstsOutput()
    {
        var settings = Sample.Settings("hello");
        var results = await Task.WhenAll(Sample.BuildAsync(settings), Sample.BuildAsync(settings));

        Assert.That(results.Select(r => r.Succeeded), Is.All.True);
        Assert.That(results.Select(r => r.Targets.Single().Skipped), Is.EquivalentTo(new[] { false, true }));
    }

    [Test]
    public async Task AnUnreadableStateFileMeansAFullBuildNotACrash()
    {
        var settings = Sample.Settings("hello");
        Assert.That((await Sample.BuildAsync(settings)).Succeeded, Is.True);
        var state = Sample.Combine(".godebug", "build-state.Debug.json");
        File.WriteAllText(state, "{ not json");

        var rebuilt = await Sample.BuildAsync(settings);

        Assert.That(rebuilt.Targets.Single().Skipped, Is.False);
        Assert.That(GoDebug.Tasks.Building.GoBuildState.Load(state)?.Targets.Single().Package, Is.EqualTo(Hello));
    }

    [Test]
    public async Task CancellingDuringGoBuildLeavesThePreviousBinaryAndStateAndNoTemporaryFolder()
    {
        var settings = Sample.Settings("app");
        var binary = await Sample.BuildOneAsync(settings);
        var good = await File.ReadAllBytesAsync(binary);
        var state = await File.ReadAllTextAsync(Sample.Combine(".godebug", "build-state.Debug.json"));

        // The real go build, with its linker held at a known point: the cancel lands while go build is
        // linking whatever the machine's speed, and the held process proves the whole tree is killed.
        using var hold = new TempDir("hold");
        var pidFile = hold.Combine("link.pid");
        var wrapper = hold.WriteExecutable("hold-link.sh", $$"""
            #!/bin/sh
            # go build -toolexec: park the real link (not go's '-V=full' version query) until killed.
            if [ "$(basename "$1")" = link ] && [ "$2" != -V=full ]; then
              echo $$ > '{{pidFile}}.tmp' && mv '{{pidFile}}.tmp' '{{pidFile}}'
              exec sleep 300
            fi
            exec "$@"
            """);
        var real = await RealTools.GoAsync();
        var go = real with { Environment = new Dictionary<string, string?>(real.Environment) { ["GOFLAGS"] = "-toolexec=" + wrapper } };

        // A new -X value forces a fresh link of the net/http app.
        using var cts = new CancellationTokenSource();
        var relink = settings with { LdFlags = "-X main.build=" + Guid.NewGuid().ToString("N") };
        var build = GoBuilder.BuildAsync(relink, go, GoDebugHost.Create(new RecordingLog()), cts.Token);
        var linker = await ProcessChecks.WaitForPidFileAsync(pidFile, build, TimeSpan.FromMinutes(3));
        cts.Cancel();

        Assert.That(async () => await build, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await ProcessChecks.GoneWithinAsync(linker, TimeSpan.FromSeconds(5)), Is.True, "the link go build started must die with it");
        Assert.That(await File.ReadAllBytesAsync(binary), Is.EqualTo(good));
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(binary)!), Is.EqualTo(new[] { binary }));
        Assert.That(await File.ReadAllTextAsync(Sample.Combine(".godebug", "build-state.Debug.json")), Is.EqualTo(state));
    }

    [Test]
    public async Task CleanRemovesOutputsAndStateSoTheNextBuildBuilds()
    {
        var settings = Sample.Settings("hello");
        var built = await Sample.BuildAsync(settings);
        Assert.That(built.Targets.Single().OutputPath, Does.Exist);
        var watched = await Sample.BuildAsync(settings with { Profile = GoBuildProfile.Reload });
        Assert.That(watched.Targets.Single().OutputPath, Is.EqualTo(Sample.Combine(".godebug", "bin", "Debug-watch", "hello")).And.Exist);

        await GoBuilder.CleanAsync(settings, new RecordingLog(), CancellationToken.None);

        Assert.That(Sample.Combine(".godebug", "bin", "Debug"), Does.Not.Exist);
        Assert.That(Sample.Combine(".godebug", "build-state.Debug.json"), Does.Not.Exist);
        Assert.That(Sample.Combine(".godebug", "bin", "Debug-watch"), Does.Not.Exist, "Watch's builds of the configuration go too");
        Assert.That(Sample.Combine(".godebug", "build-state.Debug-watch.json"), Does.Not.Exist);
        var rebuilt = await Sample.BuildAsync(settings);
        Assert.That(rebuilt.Targets.Single().Skipped, Is.False);
        Assert.That(rebuilt.Targets.Single().OutputPath, Does.Exist);
    }

    [Test]
    public async Task ReleaseCrossBuildGoesToItsOwnFolderWithTheWindowsSuffix()
    {
        var settings = Sample.Settings("./hello") with { Configuration = GoBuildConfiguration.Release, GoOS = "windows", GoArch = "amd64" };
        var result = await Sample.BuildAsync(settings);

        var output = Sample.Combine(".godebug", "bin", "Release", "windows_amd64", "hello.exe");
        Assert.That(result.Targets.Single().OutputPath, Is.EqualTo(output));
        Assert.That(File.ReadAllBytes(output).Take(2), Is.EqualTo("MZ"u8.ToArray()), "a PE executable");
        var info = await (await RealTools.GoAsync()).RunAsync(["version", "-m", output], Sample.Root, CancellationToken.None);
        Assert.That(info.StandardOutput, Does.Contain("-trimpath=true").And.Contain("GOOS=windows"));
    }

    [Test]
    public async Task CheckLibrariesCompilesLibraryModulesAndReportsTheirErrors()
    {
        // module-b is the only workspace module without a main package once hello's main is the only one listed.
        var settings = Sample.Settings("hello") with { CheckLibraries = true };
        var ok = await Sample.BuildAsync(settings);
        Assert.That(ok.Targets.Select(t => (t.Package, t.OutputPath.Length > 0, t.Succeeded)), Is.EquivalentTo(new[]
        {
            (Hello, true, true),
            ("example.com/sample/module-a/...", false, true),
            ("example.com/sample/module-b/...", false, true),
        }));

        var stats = Sample.Combine("module-b", "stats.go");
        File.AppendAllText(stats, "\nfunc broken() int { return \"text\" }\n");
        var lines = File.ReadAllLines(stats);
        var failed = await Sample.BuildAsync(settings);

        Assert.That(failed.Targets.Single(t => t.Package == "example.com/sample/module-b/...").Succeeded, Is.False);
        Assert.That(failed.Targets.Single(t => t.Package == Hello).Skipped, Is.True, "hello does not import module-b");
        var error = failed.Diagnostics.Single();
        Assert.That((error.File, error.Line), Is.EqualTo((stats, lines.Length)));
        Assert.That(error.Column, Is.EqualTo(lines[^1].IndexOf("\"text\"", StringComparison.Ordinal) + 1));
    }

    [Test]
    public void BadInputNamesTheSettingAndWritesNothing()
    {
        var notMain = Assert.ThrowsAsync<GoDebugException>(() => Sample.BuildAsync(Sample.Settings("module-a")));
        Assert.That(notMain!.Message, Does.Contain("'module-a'").And.Contain("Targets").And.Contain("not a main package"));

        var missing = Assert.ThrowsAsync<GoDebugException>(() => Sample.BuildAsync(Sample.Settings() with { Workspace = Sample.Combine("nope") }));
        Assert.That(missing!.Message, Does.Contain(Sample.Combine("nope")).And.Contain("Workspace"));
        Assert.That(Sample.Combine("nope"), Does.Not.Exist);

        Assert.That(Sample.Combine(".godebug", "bin"), Does.Not.Exist);
        Assert.That(Sample.Combine(".godebug", "build-state.Debug.json"), Does.Not.Exist);
    }
}
