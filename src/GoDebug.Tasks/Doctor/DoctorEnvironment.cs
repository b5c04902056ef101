using System.Text.Json;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>The variables Doctor reads, taken once so every check (and every go it runs) sees the same values.</summary>
internal static class DoctorEnvironment
{
    public static IReadOnlyList<string> Names { get; } = ["PATH", "GOWORK", "GOFLAGS", "GOTOOLCHAIN", "GOPATH", "GOMODCACHE", "GOBIN", "GOENV"];

    public static IReadOnlyDictionary<string, string?> From(EnvironmentSnapshot environment)
        => Names.ToDictionary(n => n, environment.Get);

    public static string? Get(IReadOnlyDictionary<string, string?> snapshot, string name)
        => snapshot.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>
    /// The snapshot as extra environment for go: unset names are removed so this process's values cannot leak in,
    /// and GOTOOLCHAIN is forced to local because diagnosing must never start a toolchain download.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> ForGo(IReadOnlyDictionary<string, string?> snapshot)
    {
        var env = Names.Where(n => n != "PATH").ToDictionary(n => n, n => Get(snapshot, n));
        env["GOTOOLCHAIN"] = "local";
        return env;
    }
}

/// <summary>What go itself resolves (go env file, GOROOT/go.env and defaults applied), or the snapshot when go is unavailable.</summary>
internal sealed record GoEnvironmentView(
    string? GoWork,
    string? GoMod,
    string? GoFlags,
    IReadOnlyList<string> GoPath,
    string? GoModCache,
    string? GoBin,
    string? GoEnvFile,
    string? GoRoot)
{
    public static async Task<(GoEnvironmentView View, ProcessResult Result)> ReadAsync(GoTool go, string workspace, IReadOnlyDictionary<string, string?> snapshot, IProcessRunner processes, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(go.Command(["env", "-json"], workspace, DoctorEnvironment.ForGo(snapshot)), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded) return (FromSnapshot(snapshot), result);
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(result.StandardOutput) ?? [];
        string? Value(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        var view = new GoEnvironmentView(
            Value("GOWORK"),
            Value("GOMOD"),
            Value("GOFLAGS"),
            SplitList(Value("GOPATH")),
            Value("GOMODCACHE"),
            Value("GOBIN"),
            Value("GOENV"),
            Value("GOROOT") ?? go.GoRoot);
        return (view, result);
    }

    /// <summary>Go's own defaults, applied by hand when go cannot tell us.</summary>
    public static GoEnvironmentView FromSnapshot(IReadOnlyDictionary<string, string?> snapshot)
    {
        var gopath = SplitList(DoctorEnvironment.Get(snapshot, "GOPATH"));
        if (gopath.Count == 0)
        {
            var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            gopath = string.IsNullOrEmpty(home) ? [] : [Path.Combine(home, "go")];
        }

        return new GoEnvironmentView(
            DoctorEnvironment.Get(snapshot, "GOWORK"),
            null,
            DoctorEnvironment.Get(snapshot, "GOFLAGS"),
            gopath,
            DoctorEnvironment.Get(snapshot, "GOMODCACHE") ?? (gopath.Count > 0 ? Path.Combine(gopath[0], "pkg", "mod") : null),
            DoctorEnvironment.Get(snapshot, "GOBIN"),
            DoctorEnvironment.Get(snapshot, "GOENV"),
            null);
    }

    /// <summary>Where <c>go install</c> puts binaries: GOBIN, else the first GOPATH entry's bin.</summary>
    public string? InstallDirectory => GoBin ?? (GoPath.Count > 0 ? Path.Combine(GoPath[0], "bin") : null);

    public static IReadOnlyList<string> SplitList(string? value)
        => value is null ? [] : value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
}
