using System.Runtime.InteropServices;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Building;

/// <summary>
/// Everything a build's flags and environment derive from <see cref="GoBuildSettings"/>: the go build
/// arguments per configuration, the variables go runs with, where outputs and state live, and the
/// configuration part of every target's fingerprint.
/// </summary>
internal sealed class GoBuildOptions
{
    /// <summary>Variables that change what go builds; their values join the fingerprint so changing one rebuilds.</summary>
    private static readonly string[] BuildEnvironment =
    [
        "GOOS", "GOARCH", "CGO_ENABLED", "GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM", "GOARM64", "GO386",
        "GOMIPS", "GOPPC64", "GORISCV64", "GOWASM", "GOWORK", "CC", "CXX", "CGO_CFLAGS", "CGO_CPPFLAGS",
        "CGO_CXXFLAGS", "CGO_LDFLAGS",
    ];

    /// <summary>No optimisation or inlining in any package: what a debugger needs to see every variable and line.</summary>
    internal const string DebugGcFlags = "-gcflags=all=-N -l";

    private GoBuildOptions(GoBuildSettings settings, string workspace, IReadOnlyDictionary<string, string?> environment)
    {
        Settings = settings;
        Workspace = workspace;
        Environment = environment;
        var cross = settings.GoOS is not null || settings.GoArch is not null;
        TargetOS = settings.GoOS ?? HostGoOS();
        TargetArch = settings.GoArch ?? HostGoArch();
        var platform = cross ? $"{TargetOS}_{TargetArch}" : null;
        // Watch's builds keep their own binaries and state: linked with other flags, they would otherwise replace
        // Build's and make its next run rebuild everything.
        var configuration = settings.Profile == GoBuildProfile.Standard ? settings.Configuration.ToString() : settings.Configuration + "-watch";
        OutputDirectory = Path.GetFullPath(settings.OutputDirectory
            ?? Path.Combine(platform is null ? [workspace, ".godebug", "bin", configuration] : [workspace, ".godebug", "bin", configuration, platform]));
        var stateName = platform is null ? $"build-state.{configuration}.json" : $"build-state.{configuration}.{platform}.json";
        StatePath = Path.Combine(workspace, ".godebug", stateName);
        LockPath = Path.ChangeExtension(StatePath, ".lock");
    }

    public GoBuildSettings Settings { get; }

    /// <summary>Absolute workspace root.</summary>
    public string Workspace { get; }

    /// <summary>Variables every go invocation of this build gets on top of the toolchain's.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public string TargetOS { get; }

    public string TargetArch { get; }

    public string OutputDirectory { get; }

    public string StatePath { get; }

    public string LockPath { get; }

    public static GoBuildOptions From(GoBuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var workspace = Path.GetFullPath(settings.Workspace);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (settings.GoOS is not null) env["GOOS"] = settings.GoOS;
        if (settings.GoArch is not null) env["GOARCH"] = settings.GoArch;
        if (settings.CgoEnabled is { } cgo) env["CGO_ENABLED"] = cgo ? "1" : "0";
        return new GoBuildOptions(settings, workspace, env);
    }

    /// <summary>Flags that pick which files build (go list needs them too, or it reports the wrong files).</summary>
    public IReadOnlyList<string> SelectionFlags()
    {
        var flags = new List<string>();
        if (Settings.Tags.Count > 0) flags.Add("-tags=" + string.Join(',', Settings.Tags));
        if (Settings.Race) flags.Add("-race");
        return flags;
    }

    /// <summary>The go build flags of the configuration: Debug turns off optimisation and inlining everywhere so dlv sees every variable and line.</summary>
    public IReadOnlyList<string> BuildFlags()
    {
        var flags = new List<string>(SelectionFlags());
        flags.Add(Settings.Configuration == GoBuildConfiguration.Debug ? DebugGcFlags : "-trimpath");
        flags.AddRange(ProfileBuildFlags());
        // go build takes one -ldflags (the last wins): the profile's flags first, so the user's own can override them.
        var linker = string.Join(' ', ProfileLinkerFlags().Append(Settings.LdFlags ?? string.Empty).Where(f => f.Length > 0));
        if (linker.Length > 0) flags.Add("-ldflags=" + linker);
        return flags;
    }

    /// <summary>
    /// go build flags of the build's purpose. A reload stamps no VCS information (<c>-buildvcs=false</c>): in a git
    /// checkout of a single module go build otherwise runs <c>git status</c> and <c>git log</c> on every build, and
    /// <c>git status</c> walks the whole checkout; a program reloaded on save has no use for its commit.
    /// </summary>
    private IEnumerable<string> ProfileBuildFlags() => Settings.Profile switch
    {
        GoBuildProfile.Reload or GoBuildProfile.ReloadWithDwarf => ["-buildvcs=false"],
        _ => [],
    };

    /// <summary>
    /// Linker flags of the build's purpose. A reload drops DWARF (<c>-w</c>): pprof, panics and stack traces read the
    /// symbol table and pclntab, and the link of the sample app took 365 ms against 580 ms with it.
    /// </summary>
    private IEnumerable<string> ProfileLinkerFlags() => Settings.Profile switch
    {
        GoBuildProfile.Reload => ["-w"],
        _ => [],
    };

    /// <summary>
    /// The binary of a main package: the last element of its import path, or the one before a major
    /// version suffix (<c>example.com/tool/v2</c> → <c>tool</c>), the name go build -o DIR gives it.
    /// When two targets would share that name, <paramref name="clashes"/> is true and the file is named
    /// after the whole import path (<c>example.com_svc_cmd_server</c>), so neither overwrites the other.
    /// </summary>
    public string OutputPathFor(string importPath, bool clashes)
        => Path.Combine(OutputDirectory, clashes ? WithExecutableSuffix(importPath.Replace('/', '_')) : GoOutputFileName(importPath));

    /// <summary>The file go build -o DIR writes for <paramref name="importPath"/>.</summary>
    public string GoOutputFileName(string importPath)
    {
        var elements = importPath.Split('/');
        var name = elements.Length > 1 && elements[^1].Length > 1 && elements[^1][0] == 'v' && elements[^1][1..].All(char.IsAsciiDigit)
            ? elements[^2]
            : elements[^1];
        return WithExecutableSuffix(name);
    }

    /// <summary>
    /// The configuration half of the fingerprint: Go version, flags, and the build-relevant environment
    /// as the go process will see it (ours over the toolchain's over the step's environment).
    /// </summary>
    public IReadOnlyList<string> ConfigurationKey(GoVersion goVersion, IReadOnlyDictionary<string, string?> toolEnvironment, EnvironmentSnapshot ambient)
    {
        var key = new List<string>
        {
            "go=" + goVersion,
            "configuration=" + Settings.Configuration,
            "flags=" + string.Join('\u001f', BuildFlags()),
            "output=" + OutputDirectory,
        };
        foreach (var name in BuildEnvironment)
        {
            var value = Environment.TryGetValue(name, out var ours) ? ours
                : toolEnvironment.TryGetValue(name, out var tool) ? tool
                : ambient.Get(name);
            key.Add($"{name}={value}");
        }

        return key;
    }

    private string WithExecutableSuffix(string name) => string.Equals(TargetOS, "windows", StringComparison.Ordinal) ? name + ".exe" : name;

    private static string HostGoOS()
        => OperatingSystem.IsWindows() ? "windows"
            : OperatingSystem.IsMacOS() ? "darwin"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : "linux";

    private static string HostGoArch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.LoongArch64 => "loong64",
        Architecture.RiscV64 => "riscv64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
