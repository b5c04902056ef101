using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>
/// A fresh machine's apt for one test: this machine's sources, but package lists and caches in empty folders of
/// the test's own, through an APT_CONFIG file (apt's own way to take another configuration). A real apt-get update
/// fills them from the real Debian registry; the machine's own lists are never touched.
/// </summary>
internal sealed class FreshApt : IDisposable
{
    private readonly TempDir _dir = new("freshapt");

    public FreshApt()
    {
        Directory.CreateDirectory(ListsDirectory);
        Directory.CreateDirectory(_dir.Combine("cache"));
        ConfigFile = _dir.Write("apt.conf", $"Dir::State::Lists \"{ListsDirectory}\";\nDir::Cache \"{_dir.Combine("cache")}\";\n");
    }

    public string ConfigFile { get; }

    public string ListsDirectory => _dir.Combine("lists");

    /// <summary>The variable that points apt at this configuration, for a child process (build.sh, dotnet build).</summary>
    public Dictionary<string, string> Environment => new() { ["APT_CONFIG"] = ConfigFile };

    /// <summary>True once apt-get update has stored package lists here.</summary>
    public bool Fetched => Directory.EnumerateFiles(ListsDirectory, "*_Packages*").Any();

    /// <summary>A host for an engine call whose apt commands all read this configuration.</summary>
    public GoDebugHost Host(RecordingLog log)
    {
        var host = GoDebugHost.Create(log);
        return host with { Environment = host.Environment.With("APT_CONFIG", ConfigFile) };
    }

    public void Dispose() => _dir.Dispose();
}
