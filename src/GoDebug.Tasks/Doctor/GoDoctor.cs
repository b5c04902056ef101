using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>Diagnoses a Go debugging setup.</summary>
internal static class GoDoctor
{
    /// <param name="settings">What to examine.</param>
    /// <param name="go">The go found without installing anything, or null when there is none.</param>
    /// <param name="dlvExecutable">The dlv found without installing anything, or null.</param>
    /// <param name="log">Where to report.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static Task<GoDoctorReport> RunAsync(GoDoctorSettings settings, GoTool? go, string? dlvExecutable, IGoDebugLog log, CancellationToken cancellationToken)
        => throw new NotImplementedException("issue 2: doctor");
}
