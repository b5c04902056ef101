using System.Text;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Watching;

/// <summary>Watch builds for a reload: no DWARF, no VCS stamp, its own folder and state; Build's stay as they are.</summary>
[NonParallelizable]
public class ReloadProfileTests
{
    [Test]
    public async Task Watch_links_without_DWARF_into_its_own_folder_and_leaves_Builds_binary_and_state_alone()
    {
        await using var run = await WatchRun.StartAsync(configure: s => s with { Build = s.Build with { LdFlags = "-X main.reloadProbe=1" } });
        var go = await RealTools.GoAsync();
        await GoBuilder.BuildAsync(new GoBuildSettings { Workspace = run.Workspace, LdFlags = "-X main.reloadProbe=1" }, go, new RecordingLog(), CancellationToken.None);
        var built = Path.Combine(run.Workspace, ".godebug", "bin", "Debug", "app");
        var watched = Path.Combine(run.Workspace, ".godebug", "bin", "Debug-watch", "app");
        var state = Path.Combine(run.Workspace, ".godebug", "build-state.Debug.json");
        var (builtTime, stateText) = (File.GetLastWriteTimeUtc(built), File.ReadAllText(state));

        run.Write("module-a/greet.go", WatchRun.Greeting("profile"));
        await run.WaitReadyAsync(2);

        Assert.That(await run.HelloAsync("p"), Is.EqualTo("profile, p"));
        Assert.That(File.GetLastWriteTimeUtc(built), Is.EqualTo(builtTime), "Build's binary is not Watch's");
        Assert.That(File.ReadAllText(state), Is.EqualTo(stateText), "Build's fingerprints are not Watch's");
        Assert.That(Path.Combine(run.Workspace, ".godebug", "build-state.Debug-watch.json"), Does.Exist);
        Assert.That(ElfSections(watched).Where(IsDwarf), Is.Empty, "Watch's binary has no DWARF");
        Assert.That(ElfSections(watched), Does.Contain(".symtab").And.Contain(".gopclntab"), "the symbol table and pclntab stay: pprof and stack traces read those");
        Assert.That(ElfSections(built).Where(IsDwarf), Is.Not.Empty, "Build's Debug binary keeps DWARF for dlv");

        var recorded = await BuildFlagsAsync(go, watched);
        Assert.That(recorded, Does.Contain("-ldflags=\"-w -X main.reloadProbe=1\""), "-w merged before the user's ldflags:\n" + recorded);
        Assert.That(await BuildFlagsAsync(go, built), Does.Contain("-ldflags=\"-X main.reloadProbe=1\"").And.Not.Contain("-w "), "Build's flags are its own");
    }

    [Test]
    public async Task KeepDwarf_keeps_DWARF_in_the_watch_binary_for_a_later_dlv_attach()
    {
        await using var run = await WatchRun.StartAsync(configure: s => s with { KeepDwarf = true });
        var watched = Path.Combine(run.Workspace, ".godebug", "bin", "Debug-watch", "app");

        Assert.That(ElfSections(watched).Where(IsDwarf), Is.Not.Empty);
        Assert.That(await BuildFlagsAsync(await RealTools.GoAsync(), watched), Does.Not.Contain("-ldflags=-w"));
    }

    [Test]
    public void The_reload_profile_adds_its_flags_to_the_configurations_and_the_users_and_the_standard_one_does_not()
    {
        static IReadOnlyList<string> Flags(GoBuildProfile profile, string? ldflags = null)
            => GoBuildOptions.From(new GoBuildSettings { Workspace = "/w", Profile = profile, LdFlags = ldflags }).BuildFlags();

        Assert.That(Flags(GoBuildProfile.Standard), Is.EqualTo(new[] { GoBuildOptions.DebugGcFlags }));
        Assert.That(Flags(GoBuildProfile.Standard, "-X a.b=c"), Is.EqualTo(new[] { GoBuildOptions.DebugGcFlags, "-ldflags=-X a.b=c" }));
        Assert.That(Flags(GoBuildProfile.Reload), Is.EqualTo(new[] { GoBuildOptions.DebugGcFlags, "-buildvcs=false", "-ldflags=-w" }));
        Assert.That(Flags(GoBuildProfile.Reload, "-X 'a.b=c d'"), Is.EqualTo(new[] { GoBuildOptions.DebugGcFlags, "-buildvcs=false", "-ldflags=-w -X 'a.b=c d'" }), "the user's flags come last, so they can say -w=false");
        Assert.That(Flags(GoBuildProfile.ReloadWithDwarf), Is.EqualTo(new[] { GoBuildOptions.DebugGcFlags, "-buildvcs=false" }));
        Assert.That(
            GoBuildOptions.From(new GoBuildSettings { Workspace = "/w", Profile = GoBuildProfile.ReloadWithDwarf }).OutputDirectory,
            Is.EqualTo(GoBuildOptions.From(new GoBuildSettings { Workspace = "/w", Profile = GoBuildProfile.Reload }).OutputDirectory).And.EqualTo("/w/.godebug/bin/Debug-watch"));
    }

    private static bool IsDwarf(string section) => section.StartsWith(".debug_", StringComparison.Ordinal) || section.StartsWith(".zdebug_", StringComparison.Ordinal);

    /// <summary>What go recorded about the build (<c>go version -m</c>): its build lines.</summary>
    private static async Task<string> BuildFlagsAsync(GoDebug.Tasks.Go.GoTool go, string binary)
    {
        var result = await ProcessRunner.Default.RunAsync(go.Command(["version", "-m", binary]), CancellationToken.None);
        return string.Join('\n', result.EnsureSuccess().StandardOutput.Split('\n').Where(l => l.TrimStart().StartsWith("build", StringComparison.Ordinal)).Select(l => l.Trim().Replace("build\t", string.Empty, StringComparison.Ordinal)));
    }

    /// <summary>The section names of a 64-bit little-endian ELF file (the section header table and its string table).</summary>
    private static IReadOnlyList<string> ElfSections(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) && bytes[4] == 2, Is.True, $"{path} is a 64-bit ELF file");
        var table = (int)BitConverter.ToUInt64(bytes, 0x28);
        var size = BitConverter.ToUInt16(bytes, 0x3A);
        var count = BitConverter.ToUInt16(bytes, 0x3C);
        var names = (int)BitConverter.ToUInt64(bytes, table + (BitConverter.ToUInt16(bytes, 0x3E) * size) + 0x18);
        return Enumerable.Range(0, count).Select(i =>
        {
            var start = names + (int)BitConverter.ToUInt32(bytes, table + (i * size));
            return Encoding.ASCII.GetString(bytes, start, Array.IndexOf(bytes, (byte)0, start) - start);
        }).ToList();
    }
}
