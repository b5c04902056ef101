namespace GoDebug.Tasks.Debugging;

/// <summary>How to run a program under a headless Delve server.</summary>
public sealed record DelveSessionSettings
{
    /// <summary>The debug build to run (built with <c>-gcflags=all=-N -l</c>).</summary>
    public string Program { get; init; } = string.Empty;

    /// <summary>Arguments passed to the program after <c>--</c>.</summary>
    public IReadOnlyList<string> ProgramArguments { get; init; } = [];

    /// <summary>Variables set (or removed, when null) for dlv and so for the program it starts, on top of this process's.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Working directory of the program; null: the program's folder.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Where dlv listens. Delve has no authentication, so the default is loopback.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1:2345";

    /// <summary>Allow a non-loopback <see cref="ListenAddress"/>; anyone who can reach it can run code as you.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Start the program right away instead of waiting for a client to continue it.</summary>
    public bool Continue { get; init; } = true;

    /// <summary>How long to wait for dlv to answer on its API port.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
