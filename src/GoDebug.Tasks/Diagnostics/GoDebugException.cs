namespace GoDebug.Tasks.Diagnostics;

/// <summary>
/// A failure the user can act on: bad input, a missing tool, a failed download. The message names
/// the file, line or URL involved; <see cref="Hint"/> says what to change, and each front end prints it
/// in its own words without a stack trace.
/// </summary>
public sealed class GoDebugException : Exception
{
    /// <summary>Creates the exception with an actionable message.</summary>
    public GoDebugException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an actionable message and what to do about it.</summary>
    public GoDebugException(string message, FixHint? hint)
        : base(message)
    {
        Hint = hint;
    }

    /// <summary>Creates the exception with an actionable message and the underlying cause.</summary>
    public GoDebugException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with an actionable message, what to do about it, and the underlying cause.</summary>
    public GoDebugException(string message, FixHint? hint, Exception inner)
        : base(message, inner)
    {
        Hint = hint;
    }

    /// <summary>What to change, or null when the message says it all.</summary>
    public FixHint? Hint { get; }

    /// <summary>The message followed by the hint in <paramref name="renderer"/>'s words.</summary>
    internal string Describe(IHintRenderer renderer)
        => Hint is null ? Message : $"{Message} Fix: {renderer.Render(Hint)}.";
}
