namespace GoDebug.Tasks.Watching;

/// <summary>Stable diagnostic codes of the watcher (range GO5xxx).</summary>
internal static class WatchCodes
{
    /// <summary>The inotify instance or watch limit is exhausted; the watcher polls instead (slower, same results).</summary>
    public const string InotifyLimit = "GO5001";

    /// <summary>The program rewrites files in the tree it is watched from, so every start caused the next; those files are ignored from then on.</summary>
    public const string RestartLoop = "GO5002";

    /// <summary>The rebuilt program failed to build; the previous one keeps running until a change builds.</summary>
    public const string BuildFailed = "GO5004";

    /// <summary>The program exited on its own; the next change that builds starts it again.</summary>
    public const string ProgramExited = "GO5005";

    /// <summary>The kernel's event queue overflowed; the watcher rescanned the tree instead of trusting the events.</summary>
    public const string Overflow = "GO5006";
}
