namespace GoDebug.Tasks.Diagnostics;

/// <summary>
/// A failure the user can act on: bad input, a missing tool, a failed download. The message names
/// the file, line, flag or URL involved; front ends print it without a stack trace.
/// </summary>
public sealed class GoDebugException : Exception
{
    /// <summary>Creates the exception with an actionable message.</summary>
    public GoDebugException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an actionable message and the underlying cause.</summary>
    public GoDebugException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
