// GoDebug.Tasks' own build graph, run through ../build.sh (or build.ps1), which builds the addin first. The targets
// users get (Debug, Watch, Profile, ...) come from the same file `dotnet new godebug` writes; only what this
// repository needs (Test, Pack, Bench) is defined here.
// The addin imports the namespaces of its settings and results (CakeNamespaceImport), as it does for #addin users.
#r "../artifacts/addin/Cake.GoDebug.dll"
#load "../src/GoDebug.Templates/content/godebug/build/godebug.cake"

using System.Xml.Linq;

// Every target works on the bundled sample unless --workspace names another.
string DefaultWorkspace() => repoRoot + "/samples/workspace";

// A failed test's message for a log that keeps only its tail: the head says what was checked, the end holds
// NUnit's "Expected / But was" and the last output of a script under test.
IEnumerable<string> Excerpt(string[] lines)
    => lines.Length <= 30 ? lines : lines.Take(8).Append($"[... {lines.Length - 30} lines ...]").Concat(lines.Skip(lines.Length - 22));

Task("Test")
    .Description("Run the NUnit suite; ends with 'N passed, N failed'.")
    .Does(() =>
{
    var results = repoRoot + "/artifacts/test-results";
    CleanDirectory(results);
    var filter = Argument("filter", string.Empty);
    var args = new ProcessArgumentBuilder()
        .Append("test").AppendQuoted(repoRoot + "/tests/GoDebug.Tasks.Tests/GoDebug.Tasks.Tests.csproj")
        .Append("-c Release --nologo")
        .Append("--logger").AppendQuoted("trx;LogFileName=results.trx")
        .Append("--logger").AppendQuoted("console;verbosity=normal")
        .Append("--results-directory").AppendQuoted(results);
    if (filter.Length > 0) args.Append("--filter").AppendQuoted(filter);
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = repoRoot });

    var trx = System.IO.Path.Combine(results, "results.trx");
    if (!System.IO.File.Exists(trx)) throw new CakeException($"dotnet test exited {exit} and wrote no {trx}");
    XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    var report = XDocument.Load(trx);
    var counters = report.Descendants(ns + "Counters").Single();
    int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
    var failed = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
    // The names and messages of failed tests, kept beside the summary: a CI log that shows only its tail
    // still says which test failed and why.
    var failures = report.Descendants(ns + "UnitTestResult")
        .Where(r => (string)r.Attribute("outcome") is not ("Passed" or "NotExecuted"))
        .Select(r => $"FAILED {(string)r.Attribute("testName")}\n{string.Join("\n", Excerpt(((string)r.Descendants(ns + "Message").FirstOrDefault() ?? string.Empty).Split('\n')).Select(l => "    " + l.TrimEnd()))}")
        .ToList();
    System.IO.File.WriteAllText(System.IO.Path.Combine(results, "failures.txt"), string.Join("\n", failures) + (failures.Count > 0 ? "\n" : string.Empty));
    foreach (var failure in failures) Console.WriteLine(failure);
    // Written directly so the closing line stays exactly "N passed, N failed" whatever the log styling.
    var summary = $"{Count("passed")} passed, {failed} failed";
    Console.WriteLine(summary);
    System.IO.File.WriteAllText(System.IO.Path.Combine(results, "summary.txt"), summary + "\n");
    if (exit != 0 || failed > 0) throw new CakeException($"{failed} test(s) failed (dotnet test exit code {exit}); see {trx}");
});

// One version for every package: --package-version, else the newest v* tag of this repository, else 0.1.0-dev.
string PackageVersion()
{
    if (HasArgument("package-version")) return Argument<string>("package-version");
    var exit = StartProcess("git", new ProcessSettings
    {
        Arguments = new ProcessArgumentBuilder().Append("tag --list v* --sort=-v:refname"),
        WorkingDirectory = repoRoot,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    }, out var lines);
    var newest = exit == 0 ? lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 1) : null;
    return newest is null ? "0.1.0-dev" : newest.Substring(1);
}

// The packages Pack makes, each from its project; one version for all.
var packages = new[]
{
    ("Cake.GoDebug", "src/Cake.GoDebug/Cake.GoDebug.csproj"),
    ("GoDebug.Tasks", "src/GoDebug.Tasks.MSBuild/GoDebug.Tasks.MSBuild.csproj"),
    ("GoDebug.Templates", "src/GoDebug.Templates/GoDebug.Templates.csproj"),
};

Task("Pack")
    .Description("Pack Cake.GoDebug (the Cake addin), GoDebug.Tasks (the MSBuild task pack) and GoDebug.Templates (dotnet new godebug), one version for all (--package-version=X.Y.Z), into artifacts/packages (--feed: samples/monorepo/feed; --output=DIR).")
    .Does(() =>
{
    var output = HasArgument("output") ? System.IO.Path.GetFullPath(Argument<string>("output"), repoRoot)
        : HasArgument("feed") ? repoRoot + "/samples/monorepo/feed"
        : repoRoot + "/artifacts/packages";
    var version = PackageVersion();
    foreach (var (_, project) in packages)
    {
        var args = new ProcessArgumentBuilder()
            .Append("pack").AppendQuoted(repoRoot + "/" + project)
            .Append("-c Release --nologo -o").AppendQuoted(output)
            .Append("-p:Version=" + version);
        var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = repoRoot });
        if (exit != 0) throw new CakeException($"dotnet pack {project} failed (exit code {exit})");
    }

    // Restore keeps the first copy of a version it sees; 0.1.0-dev is packed again after every change, so the copy of
    // the previous pack goes.
    var listed = StartProcess("dotnet", new ProcessSettings { Arguments = "nuget locals global-packages --list", RedirectStandardOutput = true }, out var lines);
    var cache = listed == 0 ? lines.Select(l => l.Trim()).Where(l => l.StartsWith("global-packages:")).Select(l => l.Substring("global-packages:".Length).Trim()).FirstOrDefault() : null;
    foreach (var (id, _) in packages)
    {
        var cached = cache is null ? null : System.IO.Path.Combine(cache, id.ToLowerInvariant(), version.ToLowerInvariant());
        if (cached is not null && System.IO.Directory.Exists(cached)) System.IO.Directory.Delete(cached, recursive: true);
    }

    // The version this folder holds, as MSBuild reads it: samples/monorepo's Directory.Build.props imports its feed's.
    var props = output + "/version.props";
    System.IO.File.WriteAllText(props + ".tmp", $"<Project>\n  <PropertyGroup>\n    <GoDebugTasksVersion Condition=\"'$(GoDebugTasksVersion)' == ''\">{version}</GoDebugTasksVersion>\n  </PropertyGroup>\n</Project>\n");
    System.IO.File.Move(props + ".tmp", props, overwrite: true);

    Information("Packages {0} of {1} written to {2}", string.Join(", ", packages.Select(p => p.Item1)), version, output);
});

Task("Bench")
    .Description("Run the benchmarks in bench/ beside their baselines; writes bench/results/latest.md.")
    .IsDependentOn("Toolchain")
    .Does(() =>
{
    var args = new ProcessArgumentBuilder()
        .Append("run -c Release --project").AppendQuoted(repoRoot + "/bench/GoDebug.Tasks.Bench/GoDebug.Tasks.Bench.csproj")
        .Append("--")
        .Append(Argument("bench", string.Empty).Replace(',', ' '))
        .Append("--root").AppendQuoted(repoRoot)
        .Append("--go").AppendQuoted(go.GoExecutable);
    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = args, WorkingDirectory = repoRoot });
    if (exit != 0) throw new CakeException($"benchmarks failed (exit code {exit})");
});

RunTarget(target);
