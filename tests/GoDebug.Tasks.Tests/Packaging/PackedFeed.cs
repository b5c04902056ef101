using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Packaging;

/// <summary>
/// The three packages as users get them: made once per test run by this repository's own Pack target into a folder
/// feed, with a version no earlier run used, so NuGet's cache can never hand back a stale copy. The folder and the
/// cached copies of that version go when the run ends (<see cref="TestRunCleanup"/>).
/// </summary>
internal sealed class PackedFeed
{
    public static readonly string[] PackageIds = ["Cake.GoDebug", "GoDebug.Tasks", "GoDebug.Templates"];

    private static readonly Lazy<Task<PackedFeed>> Packed = new(PackAsync);

    private static string? _folder;
    private static string? _version;

    private PackedFeed(string folder, string version, string packOutput, bool staleCopyRemoved)
    {
        Folder = folder;
        Version = version;
        PackOutput = packOutput;
        StaleCopyRemoved = staleCopyRemoved;
    }

    /// <summary>The folder feed holding the .nupkg files.</summary>
    public string Folder { get; }

    /// <summary>The one version of all three packages.</summary>
    public string Version { get; }

    /// <summary>What ./build.sh --target=Pack printed.</summary>
    public string PackOutput { get; }

    /// <summary>Whether Pack dropped the copy of this version that NuGet's cache held before it packed.</summary>
    public bool StaleCopyRemoved { get; }

    public string Package(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    /// <summary>Packs on the first call of the run; every later call gets the same feed.</summary>
    public static Task<PackedFeed> GetAsync() => Packed.Value;

    /// <summary>The cached copy NuGet made of <paramref name="id"/> at this run's version.</summary>
    public static string CachedCopy(string id, string version)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(root, id.ToLowerInvariant(), version);
    }

    /// <summary>Removes the feed and what restores of it left in NuGet's cache.</summary>
    public static void Remove()
    {
        if (_folder is not null) TempDir.DeleteTree(_folder);
        if (_version is null) return;
        foreach (var id in PackageIds)
        {
            var copy = CachedCopy(id, _version);
            TempDir.DeleteTree(copy);
            // The id's folder too when this run made it (no other version of ours was ever restored here).
            var folder = Path.GetDirectoryName(copy)!;
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
    }

    private static async Task<PackedFeed> PackAsync()
    {
        _version = $"0.0.0-test.t{Guid.NewGuid():N}";
        _folder = Path.Combine(Path.GetTempPath(), $"gdt-feed-{Environment.ProcessId}");
        // A copy of this version in NuGet's cache, as an earlier pack of the same version and a restore would leave it.
        var stale = Directory.CreateDirectory(CachedCopy("GoDebug.Templates", _version)).FullName;
        File.WriteAllText(Path.Combine(stale, "from-an-earlier-pack"), string.Empty);
        var pack = await BuildScript.RunAsync(["--target=Pack", $"--package-version={_version}", $"--output={_folder}"], TimeSpan.FromMinutes(20));
        Assert.That(pack.ExitCode, Is.Zero, pack.Output);
        return new PackedFeed(_folder, _version, pack.Output, !Directory.Exists(stale));
    }
}
