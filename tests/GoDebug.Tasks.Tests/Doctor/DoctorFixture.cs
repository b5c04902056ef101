using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Doctor;

/// <summary>
/// A temp Go workspace (go.work + two modules), a temp GOPATH whose bin is on PATH, and an environment snapshot
/// that isolates go from this machine's settings (GOENV=off, GOTOOLCHAIN=local). Each test changes one thing.
/// </summary>
internal sealed class DoctorFixture : IDisposable
{
    private readonly TempDir _root = new("doctor");

    public DoctorFixture()
    {
        Workspace = _root.Combine("ws");
        GoPath = _root.Combine("gopath");
        Directory.CreateDirectory(Path.Combine(GoPath, "bin"));
        Write("ws/go.work", "go 1.19\n\nuse (\n\t./lib\n\t./app\n)\n");
        Write("ws/lib/go.mod", "module example.com/fixture/lib\n\ngo 1.19\n");
        Write("ws/lib/lib.go", "package lib\n\nfunc Answer() int { return 42 }\n");
        Write("ws/app/go.mod", "module example.com/fixture/app // the service\n\ngo 1.19\n\nrequire example.com/fixture/lib v0.0.0\n");
        Write("ws/app/main.go", "package main\n\nimport \"example.com/fixture/lib\"\n\nfunc main() { println(lib.Answer()) }\n");
        InotifyFile = Write("proc/max_user_watches", "1048576\n");
        Environment = new Dictionary<string, string?>
        {
            ["PATH"] = string.Join(Path.PathSeparator, Path.Combine(GoPath, "bin"), "/usr/bin", "/bin"),
            ["GOPATH"] = GoPath,
            ["GOTOOLCHAIN"] = "local",
            ["GOENV"] = "off",
        };
    }

    public string Root => _root.Path;

    public string Workspace { get; }

    public string GoPath { get; }

    public string InotifyFile { get; }

    /// <summary>An empty toolchain cache, so this machine's real one never decides what Doctor finds.</summary>
    public string Cache => _root.Combine("cache");

    public Dictionary<string, string?> Environment { get; }

    public GoDoctorSettings Settings => new() { Workspace = Workspace, Environment = Environment, InotifyMaxUserWatchesFile = InotifyFile, CacheDirectory = Cache, CheckDelveRelease = false };

    public string Write(string relative, string content) => _root.Write(relative, content);

    /// <summary>A dlv stand-in printing what <c>dlv version</c> prints: it is the input Doctor diagnoses.</summary>
    public string FakeDlv(string version, string? relative = null)
        => WriteExecutable(relative ?? $"fake-dlv-{version}/dlv", $"#!/bin/sh\necho 'Delve Debugger'\necho 'Version: {version}'\necho 'Build: $Id: 0000000000000000000000000000000000000000 $'\n");

    public string WriteExecutable(string relative, string content) => _root.WriteExecutable(relative, content);

    /// <summary>Delve 1.8 supports Go up to 1.18, so it predates every Go this product supports (1.19 up).</summary>
    public const string DlvOlderThanAnySupportedGo = "1.8.0";

    /// <summary>A dlv as new as <paramref name="go"/> (by default the real go) needs, so only the finding under test shows up.</summary>
    public async Task<string> CompatibleDlvAsync(GoTool? go = null) => FakeDlv($"1.{(go ?? await RealTools.GoAsync()).Version.Minor}.0");

    /// <param name="go">The go Doctor diagnoses; by default the real go first on PATH.</param>
    public async Task<(GoDoctorReport Report, RecordingLog Log)> RunAsync(GoDoctorSettings? settings = null, bool withGo = true, string? dlv = null, GoTool? go = null)
    {
        var log = new RecordingLog();
        go ??= withGo ? await RealTools.GoAsync() : null;
        var report = await GoDoctor.RunAsync(settings ?? Settings, go, dlv ?? await CompatibleDlvAsync(go), log, CancellationToken.None);
        return (report, log);
    }

    public void Dispose() => _root.Dispose();
}
