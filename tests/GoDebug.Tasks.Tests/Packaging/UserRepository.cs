using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>
/// A git repository of a user of the packages, outside this checkout: its nuget.config names the packed feed (every
/// other package comes from the machine's usual sources), and commands run in it the way a user runs them, with the
/// real go and dlv first on PATH and none of the test host's MSBuild variables.
/// </summary>
internal sealed class UserRepository : IDisposable
{
    private readonly TempDir _dir;

    private UserRepository(TempDir dir, PackedFeed feed)
    {
        _dir = dir;
        Feed = feed;
    }

    public string Root => _dir.Path;

    public PackedFeed Feed { get; }

    /// <summary>Where `dotnet new` keeps its installed templates for this repository's tests, never the user's own.</summary>
    public string TemplateHive => _dir.Path + "-hive";

    public static async Task<UserRepository> CreateAsync(string prefix)
    {
        var feed = await PackedFeed.GetAsync();
        var repo = new UserRepository(new TempDir(prefix), feed);
        repo.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="godebug" value="{feed.Folder}" />
              </packageSources>
            </configuration>
            """);
        (await repo.RunAsync("git", "init", "-q")).EnsureSuccess();
        return repo;
    }

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public string Write(string relative, string content) => _dir.Write(relative, content);

    /// <summary>Copies samples/workspace (sources only) to <paramref name="relative"/>.</summary>
    public string AddSampleWorkspace(string relative) => SampleCopy.Workspace(Combine(relative.Split('/')));

    /// <summary>Every file under the repository (but .git) with its bytes, to show that a step changed nothing.</summary>
    public Dictionary<string, byte[]> Snapshot()
        => Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Root, f).StartsWith(".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(Root, f), File.ReadAllBytes);

    /// <summary>`dotnet new` against this repository's own template hive.</summary>
    public Task<ProcessResult> DotnetNewAsync(params string[] arguments)
        => RunAsync("dotnet", ["new", .. arguments, "--debug:custom-hive", TemplateHive]);

    public Task<ProcessResult> RunAsync(string executable, params string[] arguments)
        => RunAsync(TimeSpan.FromMinutes(15), executable, arguments);

    public async Task<ProcessResult> RunAsync(TimeSpan timeout, string executable, params string[] arguments)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await ProcessRunner.Default.RunAsync(
                new ProcessSpec(executable, arguments) { WorkingDirectory = Root, Environment = Environment() },
                cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new AssertionException($"'{ProcessRunner.Describe(executable, arguments)}' in {Root} did not finish within {timeout}; it was killed.");
        }
    }

    /// <summary><paramref name="file"/> of the pinned Cake runner (.config/dotnet-tools.json of this checkout): Cake.dll as build.sh runs it, Cake.Core.dll.</summary>
    public static string CakeTool(string file)
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json")));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("cake.tool").GetProperty("version").GetString()!;
        var packages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "cake.tool", version, "tools", "net10.0", "any", file);
    }

    public void Dispose()
    {
        _dir.Dispose();
        TempDir.DeleteTree(TemplateHive);
    }

    private static Dictionary<string, string?> Environment() => new()
    {
        ["PATH"] = string.Join(Path.PathSeparator, Path.GetDirectoryName(RealTools.FindGo()), Path.GetDirectoryName(RealTools.FindDlv()), System.Environment.GetEnvironmentVariable("PATH")),
        ["GDTASKS_CACHE"] = BuildScript.IsolatedCache,
        ["CI"] = "true",
        ["NO_COLOR"] = "1",
        ["GOFLAGS"] = null,
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        // `dotnet test` leaves its own MSBuild location in the environment; a user's dotnet finds its own.
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
    };
}
