using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Watching;

/// <summary>The signal a graceful stop sends, by its POSIX name and number.</summary>
public enum StopSignal
{
    /// <summary>SIGINT (2).</summary>
    Int = 2,

    /// <summary>SIGTERM (15).</summary>
    Term = 15,
}

/// <summary>How to watch a workspace, rebuild what a change reaches and restart the program that runs it.</summary>
public sealed record GoWatchSettings
{
    /// <summary>What to build (workspace, configuration, tags); the same settings as a plain build.</summary>
    public GoBuildSettings Build { get; init; } = new();

    /// <summary>Which main package to run: its import path or last elements (<c>app</c>); null or empty: the first.</summary>
    public string? Program { get; init; }

    /// <summary>Arguments for the program.</summary>
    public IReadOnlyList<string> ProgramArguments { get; init; } = [];

    /// <summary><c>KEY=VALUE</c> variables set for the program on top of the environment the build was started with.</summary>
    public IReadOnlyList<string> ProgramEnvironment { get; init; } = [];

    /// <summary>How long a stopping program may take after <see cref="StopSignal"/> before its whole tree is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The signal that asks the program to stop (Unix; Windows programs get Ctrl+C): SIGINT by default, what Ctrl+C in
    /// a terminal sends and Go's <c>os.Interrupt</c>, so a program stops under Watch as it does by hand; SIGTERM for a
    /// program that listens for that alone (as container runtimes send it).
    /// </summary>
    public StopSignal StopSignal { get; init; } = StopSignal.Int;

    /// <summary>
    /// Keep DWARF in the program Watch builds, for a <c>dlv attach</c> later. By default Watch links with <c>-w</c>:
    /// pprof, panics and stack traces read the symbol table and pclntab, not DWARF, and the link is shorter. Watch
    /// builds into its own folder (<c>.godebug/bin/&lt;configuration&gt;-watch</c>) either way, so Build's binaries and
    /// their fingerprints stay as they are; Debug (dlv) always builds with DWARF.
    /// </summary>
    public bool KeepDwarf { get; init; }

    /// <summary>Poll the tree instead of using file-system events (WSL2 <c>/mnt</c>, some container volumes).</summary>
    public bool Polling { get; init; }

    /// <summary>How often polling looks at the tree.</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Quiet time after the newest change before a build starts; a change during a build restarts it. An editor's
    /// save (write, or scratch file and rename) raises its events within a millisecond or two.
    /// </summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Folder or file globs (relative to a watched root, <c>**</c> spans folders) whose changes are ignored.</summary>
    public IReadOnlyList<string> ExcludeGlobs { get; init; } = [];

    /// <summary>Extensions besides <c>.go</c> whose changes rebuild (e.g. <c>.html</c>, <c>.sql</c>); embedded files count without this.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];

    /// <summary>Longest wait for a started program to listen on a port before it counts as ready anyway.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop once the program is first ready (a smoke run in CI).</summary>
    public bool Once { get; init; }

    /// <summary>The <see cref="ProgramEnvironment"/> entries by name; a malformed entry is named in the error.</summary>
    internal IReadOnlyDictionary<string, string> ParsedProgramEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in ProgramEnvironment)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new GoDebugException($"Program environment entry '{entry}' is not KEY=VALUE.", FixHint.Set(GoSetting.ProgramEnvironment, "KEY=VALUE"));
            }

            variables[entry[..equals]] = entry[(equals + 1)..];
        }

        return variables;
    }
}
