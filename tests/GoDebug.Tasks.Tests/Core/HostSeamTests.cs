using System.Collections.Concurrent;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Tests.Doctor;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

/// <summary>Engines reach processes and the environment only through the host they are given.</summary>
public sealed class HostSeamTests
{
    /// <summary>Runs every process for real and remembers what was asked.</summary>
    private sealed class RecordingRunner : IProcessRunner
    {
        public ConcurrentQueue<ProcessSpec> Started { get; } = new();

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
        {
            Started.Enqueue(spec);
            return ProcessRunner.Default.RunAsync(spec, cancellationToken);
        }
    }

    [Test]
    public async Task Doctor_starts_its_processes_through_the_host_runner_and_reads_the_host_environment()
    {
        using var fx = new DoctorFixture();
        var runner = new RecordingRunner();
        var dlv = await fx.CompatibleDlvAsync();
        var log = new RecordingLog();
        // GOFLAGS exists only in the snapshot, never in this process, so finding GODR006 proves Doctor read the host's.
        var environment = EnvironmentSnapshot.Capture().With("GOFLAGS", "-mod=mod").With("GOWORK", null);
        var host = GoDebugHost.Create(log) with { Processes = runner, Environment = environment };

        var report = await GoDoctor.RunAsync(fx.Settings with { Environment = null }, await RealTools.GoAsync(), dlv, host, CancellationToken.None);

        var commands = runner.Started.Select(s => ProcessRunner.Describe(s.Executable, s.Arguments)).ToList();
        Assert.That(commands, Has.Some.EndsWith("env -json"));
        Assert.That(commands, Has.Some.EqualTo($"{dlv} version"));
        Assert.That(report.Findings.Select(f => f.Code), Does.Contain("GODR006"));
        Assert.That(Environment.GetEnvironmentVariable("GOFLAGS"), Is.Not.EqualTo("-mod=mod"));
    }

    [Test]
    public void A_snapshot_treats_empty_as_unset_and_copies_on_change()
    {
        var snapshot = new EnvironmentSnapshot(new Dictionary<string, string> { ["A"] = "1", ["EMPTY"] = string.Empty }, "/work");
        var changed = snapshot.With("A", null).With("B", "2");

        Assert.That(snapshot.Get("A"), Is.EqualTo("1"));
        Assert.That(snapshot.Get("EMPTY"), Is.Null);
        Assert.That(changed.Get("A"), Is.Null);
        Assert.That(changed.Get("B"), Is.EqualTo("2"));
        Assert.That(snapshot.Get("B"), Is.Null, "With returns a copy");
        Assert.That(changed.WorkingDirectory, Is.EqualTo("/work"));
        Assert.That(snapshot.With("GITHUB_ACTIONS", "true").IsGitHubActions, Is.True);
    }
}
