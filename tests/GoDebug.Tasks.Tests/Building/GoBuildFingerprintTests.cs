using GoDebug.Tasks.Building;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>
/// Each input kind changes a target's fingerprint, and files outside its inputs do not. Inputs come
/// from the real go list on a copy of the sample; no go build runs here.
/// </summary>
[TestFixture]
public sealed class GoBuildFingerprintTests : SampleCopyFixture
{
    [Test]
    public async Task PlanFindsEveryMainPackageWithItsWorkspaceSources()
    {
        var plan = await PlanAsync(Sample.Settings());

        Assert.That(plan.Targets.Select(t => t.Package), Is.EquivalentTo(new[] { App, Hello }));
        var app = plan.Targets.Single(t => t.Package == App);
        Assert.That(app.Files, Does.Contain(Sample.Combine("module-a", "greet.go")));
        Assert.That(app.Files, Does.Contain(Sample.Combine("module-b", "stats.go")));
        Assert.That(app.Files, Does.Contain(Sample.Combine("app", "go.mod")));
        Assert.That(app.Files, Does.Contain(Sample.Combine("go.work")));
        Assert.That(app.Files, Has.None.EndsWith("_test.go"), "test files are not build inputs");
        Assert.That(app.Files, Has.None.Contains(Path.Combine("lib", "go")), "standard library files are keyed by the Go version, not listed");
        Assert.That(app.OutputPath, Is.EqualTo(Sample.Combine(".godebug", "bin", "Debug", "app")));
    }

    [Test]
    public async Task FileContentChangesTheTargetsThatCompileIt()
    {
        var before = await FingerprintsAsync(Sample.Settings());
        File.AppendAllText(Sample.Combine("module-a", "greet.go"), "\nfunc Bye() string { return \"bye\" }\n");
        var after = await FingerprintsAsync(Sample.Settings());

        Assert.That(after[App], Is.Not.EqualTo(before[App]));
        Assert.That(after[Hello], Is.Not.EqualTo(before[Hello]));
    }

    [Test]
    public async Task NewGoFileInAPackageDirectoryChangesOnlyItsDependents()
    {
        var before = await FingerprintsAsync(Sample.Settings());
        Sample.Write("module-b/extra.go", "package stats\n\n// Extra is new.\nconst Extra = 1\n");
        var after = await FingerprintsAsync(Sample.Settings());

        Assert.That(after[App], Is.Not.EqualTo(before[App]), "app imports module-b");
        Assert.That(after[Hello], Is.EqualTo(before[Hello]), "hello does not import module-b");
    }

    [Test]
    public async Task GoSumChangesItsModulesTargets()
    {
        const string line = "golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\n";
        var none = await FingerprintsAsync(Sample.Settings());
        Sample.Write("app/go.sum", line);
        var created = await FingerprintsAsync(Sample.Settings());
        Sample.Write("app/go.sum", line.Replace("g61tz", "h61tz", StringComparison.Ordinal));
        var edited = await FingerprintsAsync(Sample.Settings());

        Assert.That(created[App], Is.Not.EqualTo(none[App]));
        Assert.That(edited[App], Is.Not.EqualTo(created[App]));
        Assert.That(edited[Hello], Is.EqualTo(none[Hello]), "app's go.sum is not hello's");
    }

    [Test]
    public async Task FlagsTagsAndConfigurationChangeTheFingerprint()
    {
        var debug = await FingerprintsAsync(Sample.Settings());
        var release = await FingerprintsAsync(Sample.Settings() with { Configuration = GoBuildConfiguration.Release });
        var tagged = await FingerprintsAsync(Sample.Settings() with { Tags = ["netgo"] });
        var linked = await FingerprintsAsync(Sample.Settings() with { LdFlags = "-X main.version=1" });
        var noCgo = await FingerprintsAsync(Sample.Settings() with { CgoEnabled = false });

        var all = new[] { debug[App], release[App], tagged[App], linked[App], noCgo[App] };
        Assert.That(all.Distinct().Count(), Is.EqualTo(all.Length), string.Join("\n", all));
    }

    [Test]
    public async Task GoVersionIsAnInput()
    {
        var go = await RealTools.GoAsync();
        var older = GoVersion.Parse(go.Version.ToString() == "1.22.0" ? "1.21.0" : "1.22.0");
        var current = await FingerprintsAsync(Sample.Settings());
        var other = await FingerprintsAsync(Sample.Settings(), older);

        Assert.That(other[App], Is.Not.EqualTo(current[App]));
    }

    [Test]
    public async Task UnrelatedFilesLeaveTheFingerprintAlone()
    {
        var before = await FingerprintsAsync(Sample.Settings());
        Sample.Write("module-a/README.md", "# notes\n");
        File.AppendAllText(Sample.Combine("module-a", "greet_test.go"), "\n// a test-only edit\n");
        Sample.Write("hello/main.go", HelloSample.HelloMain + "\n// hello changed, app does not import it\n");
        Sample.Write("module-a/ignored_windows.go", "package greet\n\n// Only on Windows: build constraints drop it here.\nconst windowsOnly = 1\n");
        var after = await FingerprintsAsync(Sample.Settings());

        Assert.That(after[App], Is.EqualTo(before[App]));
        Assert.That(after[Hello], Is.Not.EqualTo(before[Hello]), "the hello edit is a real input of hello");
    }

    private async Task<GoBuildPlan> PlanAsync(GoBuildSettings settings)
        => await GoBuildPlanner.PlanAsync(GoBuildOptions.From(settings), await RealTools.GoAsync(), CancellationToken.None);

    private async Task<Dictionary<string, string>> FingerprintsAsync(GoBuildSettings settings, GoVersion? version = null)
    {
        var go = await RealTools.GoAsync();
        var options = GoBuildOptions.From(settings);
        var plan = await GoBuildPlanner.PlanAsync(options, go, CancellationToken.None);
        var hashes = new GoBuildFingerprint(new Dictionary<string, FileStamp>());
        var key = options.ConfigurationKey(version ?? go.Version, go.Environment, EnvironmentSnapshot.Capture());
        return plan.Targets.ToDictionary(t => t.Package, t => hashes.Compute(key, t.Files));
    }
}
