using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Tests.Packaging;

namespace GoDebug.Tasks.Tests.MSBuild;

/// <summary>
/// The packed GoDebug.Tasks package consumed the way users consume it: the run's one pack (<see cref="PackedFeed"/>) in a folder feed,
/// restored by a copy of samples/monorepo and driven by real `dotnet build`/`dotnet clean` with the real go.
/// The steps share one copy of the sample (each build is seconds), so they run in order.
/// </summary>
[NonParallelizable]
public sealed partial class MSBuildPackageTests
{
    private static readonly string[] Binaries = ["svc", "healthcheck"];

    private TempDir _temp = null!;
    private string _sample = null!;
    private string _version = null!;
    private string _package = null!;
    private ProcessResult _firstBuild = null!;

    private string GoDirectory => Path.Combine(_sample, "go");

    private string SvcMain => Path.Combine(GoDirectory, "svc", "main.go");

    [OneTimeSetUp]
    public async Task PackAndBuildOnce()
    {
        _temp = new TempDir("msbuild");
        _sample = SampleCopy.Monorepo(_temp.Combine("monorepo"));

        // The run's one pack (a version no earlier run used), put where the sample's NuGet.config looks.
        var feed = await PackedFeed.GetAsync();
        _version = feed.Version;
        var sampleFeed = Directory.CreateDirectory(Path.Combine(_sample, "feed")).FullName;
        _package = Path.Combine(sampleFeed, Path.GetFileName(feed.Package("GoDebug.Tasks")));
        File.Copy(feed.Package("GoDebug.Tasks"), _package);

        _firstBuild = await BuildAsync();
    }

    [OneTimeTearDown]
    public void RemoveTemp() => _temp?.Dispose();

    [Test]
    [Order(0)]
    public void Package_is_a_task_pack_with_build_buildTransitive_and_tasks_but_no_lib()
    {
        using var zip = ZipFile.OpenRead(_package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();

        Assert.That(entries, Does.Contain("build/GoDebug.Tasks.props").And.Contain("build/GoDebug.Tasks.targets"));
        Assert.That(entries, Does.Contain("buildTransitive/GoDebug.Tasks.props").And.Contain("buildTransitive/GoDebug.Tasks.targets"));
        Assert.That(entries, Does.Contain("tasks/net10.0/GoDebug.Tasks.MSBuild.dll").And.Contain("tasks/net10.0/GoDebug.Tasks.dll").And.Contain("tasks/net10.0/CliWrap.dll"));
        Assert.That(entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal)), Is.Empty);
        Assert.That(
            entries.Select(Path.GetFileName).Where(n => n!.StartsWith("Microsoft.Build", StringComparison.OrdinalIgnoreCase) || n.StartsWith("Cake", StringComparison.OrdinalIgnoreCase)),
            Is.Empty,
            "MSBuild and the Cake runner supply their own assemblies; a second copy would conflict");

        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspecStream = nuspecEntry.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value, Is.EqualTo("true"));
        Assert.That(metadata.Elements().Single(e => e.Name.LocalName == "license").Value, Is.EqualTo("MIT"));
        Assert.That(metadata.Elements().Where(e => e.Name.LocalName == "dependencies"), Is.Empty, "a task pack adds nothing to the consumer's dependency graph");
    }

    [Test]
    [Order(1)]
    public async Task First_build_compiles_the_go_services_into_working_binaries()
    {
        Assert.That(_firstBuild.Succeeded, Is.True, _firstBuild.StandardOutput);
        Assert.That(File.Exists(Path.Combine(_sample, "src", "Hello", "bin", "Debug", "net10.0", "Hello.dll")), Is.True, "the .NET project itself must still build");

        var svc = FindBinary("svc");
        Assert.That(FindBinary("healthcheck"), Is.Not.Null, _firstBuild.StandardOutput);
        Assert.That(svc, Is.Not.Null, _firstBuild.StandardOutput);

        // svc logs the address it actually bound, so port 0 needs no free-port guess and no polling.
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = ProcessRunner.Default.RunAsync(
            new ProcessSpec(svc!, ["-addr", "127.0.0.1:0"]) { OnStandardError = line => { if (ListeningOn().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups["address"].Value); } },
            stop.Token);
        try
        {
            var first = await Task.WhenAny(listening.Task, run, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.That(first, Is.SameAs(listening.Task), "svc never reported its listen address");
            using var http = new HttpClient { BaseAddress = new Uri($"http://{await listening.Task}") };
            using var reply = JsonDocument.Parse(await http.GetStringAsync("/hello?name=msbuild"));
            Assert.That(reply.RootElement.GetProperty("message").GetString(), Is.EqualTo("hello, msbuild from Go"));
        }
        finally
        {
            await stop.CancelAsync();
            Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        }
    }

    [Test]
    [Order(2)]
    public async Task GoEnsureToolchain_target_resolves_the_go_it_logs()
    {
        var results = _temp.Combine("toolchain.json");
        var build = await DotnetAsync(
            _sample, "build", HelloProject, "-v:n", "-t:GoEnsureToolchain", "-p:GoSource=path", $"-p:GoDebugTasksVersion={_version}",
            "-getProperty:GoExecutable", "-getProperty:GoVersionResolved", $"-getResultOutputFile:{results}");
        Assert.That(build.Succeeded, Is.True, build.StandardOutput);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(results));
        var properties = json.RootElement.GetProperty("Properties");
        var goExecutable = properties.GetProperty("GoExecutable").GetString()!;
        var resolved = properties.GetProperty("GoVersionResolved").GetString()!;
        Assert.That(Resolved(goExecutable), Is.EqualTo(Resolved(RealTools.FindGo())), "GoSource=path must take the go first on PATH");

        // What the go binary itself says, not what our code reported.
        var version = await ProcessRunner.Default.RunAsync(goExecutable, ["version"], null, CancellationToken.None);
        var reported = version.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        Assert.That("go" + resolved, Is.EqualTo(reported));
        Assert.That(build.StandardOutput, Does.Contain(reported), "the build log must show the go version in use");
    }

    [Test]
    [Order(3)]
    public async Task Second_build_skips_GoBuild_and_leaves_the_binaries_alone()
    {
        var before = BinaryTimes();

        var build = await BuildAsync();

        Assert.That(build.Succeeded, Is.True, build.StandardOutput);
        Assert.That(build.StandardOutput, Does.Contain("Skipping target \"GoBuild\" because all output files are up-to-date"));
        Assert.That(BinaryTimes(), Is.EqualTo(before));
    }

    [Test]
    [Order(4)]
    public async Task Changing_a_go_file_rebuilds_only_the_target_that_uses_it()
    {
        var before = BinaryTimes();
        await File.AppendAllTextAsync(SvcMain, "\n// changed by a test: only svc depends on this file\n");

        var build = await BuildAsync();

        Assert.That(build.Succeeded, Is.True, build.StandardOutput);
        Assert.That(build.StandardOutput, Does.Not.Contain("Skipping target \"GoBuild\""));
        var after = BinaryTimes();
        Assert.That(after["svc"], Is.GreaterThan(before["svc"]), "svc must be relinked");
        Assert.That(after["healthcheck"], Is.EqualTo(before["healthcheck"]), "healthcheck does not import svc's main package");
    }

    [Test]
    [Order(5)]
    public async Task Go_syntax_error_fails_the_build_with_an_msbuild_error_at_its_file_line_and_column()
    {
        var original = await File.ReadAllTextAsync(SvcMain);
        var before = BinaryTimes();
        var lines = original.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith("func greeting(", StringComparison.Ordinal)) + 1;
        const string broken = "\tbroken := )";
        lines.Insert(at, broken);
        await File.WriteAllTextAsync(SvcMain, string.Join('\n', lines));
        try
        {
            var build = await BuildAsync();

            Assert.That(build.Succeeded, Is.False, build.StandardOutput);
            var errors = MSBuildError().Matches(build.StandardOutput)
                .Select(m => (File: m.Groups["file"].Value, Line: int.Parse(m.Groups["line"].Value), Column: int.Parse(m.Groups["column"].Value), Text: m.Value))
                .Where(e => e.File == SvcMain)
                .ToList();
            Assert.That(errors, Is.Not.Empty, build.StandardOutput);
            Assert.That(errors[0].Line, Is.EqualTo(at + 1), errors[0].Text);
            Assert.That(errors[0].Column, Is.EqualTo(broken.IndexOf(')', StringComparison.Ordinal) + 1), errors[0].Text);
            Assert.That(BinaryTimes(), Is.EqualTo(before), "a failed build keeps the previous binaries");
        }
        finally
        {
            await File.WriteAllTextAsync(SvcMain, original);
        }
    }

    [Test]
    [Order(6)]
    public async Task GoWorkSyncCheck_fails_on_an_out_of_date_go_work_and_a_normal_build_restores_it()
    {
        var goWork = Path.Combine(GoDirectory, "go.work");
        File.Delete(goWork);

        var check = await DotnetAsync(_sample, "build", HelloProject, "-v:n", "-p:GoWorkSyncCheck=true", $"-p:GoDebugTasksVersion={_version}");

        Assert.That(check.Succeeded, Is.False, check.StandardOutput);
        Assert.That(check.StandardOutput, Does.Contain("error GO3010"));
        Assert.That(File.Exists(goWork), Is.False, "check mode must write nothing");

        var build = await BuildAsync();

        Assert.That(build.Succeeded, Is.True, build.StandardOutput);
        Assert.That(File.Exists(goWork), Is.True, "GoWorkSync runs before GoBuild and writes go.work");
        var used = await ProcessRunner.Default.RunAsync(
            new ProcessSpec(RealTools.FindGo(), ["list", "-m", "-f", "{{.Dir}}"]) { WorkingDirectory = GoDirectory, Environment = new Dictionary<string, string?> { ["GOTOOLCHAIN"] = "local", ["GOFLAGS"] = null } },
            CancellationToken.None);
        Assert.That(used.StandardOutput.Trim(), Is.EqualTo(Path.Combine(GoDirectory, "svc")), "the real go accepts the written go.work");
    }

    [Test]
    [Order(7)]
    public async Task Clean_removes_the_go_outputs()
    {
        Assert.That(FindBinary("svc"), Is.Not.Null, "an earlier step must have built svc");

        var clean = await DotnetAsync(_sample, "clean", HelloProject, "-v:n", $"-p:GoDebugTasksVersion={_version}");

        Assert.That(clean.Succeeded, Is.True, clean.StandardOutput);
        Assert.That(Binaries.Select(FindBinary), Is.All.Null, clean.StandardOutput);
    }

    [Test]
    [Order(8)]
    public async Task GoBuildEnabled_false_builds_only_the_dotnet_side()
    {
        Assert.That(Binaries.Select(FindBinary), Is.All.Null, "the clean step must have removed the Go outputs");

        var build = await DotnetAsync(_sample, "build", HelloProject, "-v:n", "-p:GoBuildEnabled=false", $"-p:GoDebugTasksVersion={_version}");

        Assert.That(build.Succeeded, Is.True, build.StandardOutput);
        Assert.That(File.Exists(Path.Combine(_sample, "src", "Hello", "bin", "Debug", "net10.0", "Hello.dll")), Is.True);
        Assert.That(Binaries.Select(FindBinary), Is.All.Null, build.StandardOutput);
    }

    [Order(9)]
    [TestCase("GoConfiguration", "Fast", "Release")]
    [TestCase("GoSource", "ftp", "Download")]
    public async Task A_bad_property_value_is_an_error_naming_the_property_and_builds_nothing(string property, string value, string aValidValue)
    {
        var build = await DotnetAsync(_sample, "build", HelloProject, "-v:n", $"-p:{property}={value}", $"-p:GoDebugTasksVersion={_version}");

        Assert.That(build.Succeeded, Is.False, build.StandardOutput);
        var error = build.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains($"error GO0001: {property}='{value}' is not one of", StringComparison.Ordinal));
        Assert.That(error, Is.Not.Null, build.StandardOutput);
        Assert.That(error, Does.Contain(aValidValue), "the error lists the accepted values");
        Assert.That(Binaries.Select(FindBinary), Is.All.Null, "a rejected setting must not build anything");
    }

    private string HelloProject => Path.Combine(_sample, "src", "Hello", "Hello.csproj");

    private Task<ProcessResult> BuildAsync()
        => DotnetAsync(_sample, "build", HelloProject, "-v:n", $"-p:GoDebugTasksVersion={_version}");

    private static Task<ProcessResult> DotnetAsync(string workingDirectory, params string[] arguments)
        => DotnetAsync(new Dictionary<string, string?>(), workingDirectory, arguments);

    /// <summary>Runs dotnet with the go under test first on PATH; <paramref name="extraEnvironment"/> goes on top.</summary>
    private static Task<ProcessResult> DotnetAsync(IReadOnlyDictionary<string, string?> extraEnvironment, string workingDirectory, params string[] arguments)
    {
        var goBin = Path.GetDirectoryName(RealTools.FindGo())!;
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = goBin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["GOTOOLCHAIN"] = "local",
            ["GOFLAGS"] = null,
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            // `dotnet test` leaves its own MSBuild location in the environment; the child must find its own.
            ["MSBuildExtensionsPath"] = null,
            ["MSBuildSDKsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
        };
        foreach (var (name, value) in extraEnvironment) environment[name] = value;
        return ProcessRunner.Default.RunAsync(
            new ProcessSpec("dotnet", [.. arguments, "-nodeReuse:false"]) { WorkingDirectory = workingDirectory, Environment = environment },
            CancellationToken.None);
    }

    private string? FindBinary(string name)
    {
        var outputs = Path.Combine(GoDirectory, ".godebug");
        return Directory.Exists(outputs)
            ? Directory.EnumerateFiles(outputs, name, SearchOption.AllDirectories).SingleOrDefault()
            : null;
    }

    private Dictionary<string, DateTime> BinaryTimes()
        => Binaries.ToDictionary(n => n, n => File.GetLastWriteTimeUtc(FindBinary(n) ?? throw new AssertionException($"no {n} binary under {GoDirectory}/.godebug")));

    private static string Resolved(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    // The console logger's canonical error form: "/abs/file.go(12,5): Go error : message [project]".
    [GeneratedRegex(@"^\s*(?:\d+>)?(?<file>/[^(\r\n]+)\((?<line>\d+),(?<column>\d+)\): [^\r\n]*\berror\b[^\r\n]*$", RegexOptions.Multiline)]
    private static partial Regex MSBuildError();

    [GeneratedRegex(@"svc listening on (?<address>\S+)")]
    private static partial Regex ListeningOn();
}
