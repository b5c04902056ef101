namespace GoDebug.Tasks.Debugging;

/// <summary>Stable diagnostic codes of the debug endpoint and the dlv behind it (range GO8xxx).</summary>
internal static class DebugCodes
{
    /// <summary>dlv exited while the program was being debugged (crash, kill, OOM); the program it left was ended and dlv started again on the same build.</summary>
    public const string DelveDied = "GO8001";

    /// <summary>The program exited at start under dlv (a port taken, a panic); its last output is shown and it is not reported ready.</summary>
    public const string ProgramExitedAtStart = "GO8002";

    /// <summary>A debugger client sent bytes that are neither DAP nor dlv's JSON-RPC, or left a message half sent; only its connection was closed.</summary>
    public const string ClientProtocolError = "GO8003";

    /// <summary>A breakpoint could not be set again in the new build (its line no longer holds code); the others were.</summary>
    public const string BreakpointDropped = "GO8004";

    /// <summary>dlv could not start the new build; the previous program and dlv keep serving.</summary>
    public const string NewDelveFailed = "GO8005";
}
