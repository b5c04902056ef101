using Cake.Core;
using Cake.Core.Annotations;
using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Cake;

/// <summary>Cake aliases that diagnose a Go debugging setup.</summary>
[CakeAliasCategory("GoDebug")]
public static class DoctorAliases
{
    /// <summary>
    /// Checks the Go setup of a workspace (Go version, GOWORK, GOFLAGS, GOTOOLCHAIN, GOPATH copies, GOMODCACHE,
    /// dlv, PATH, inotify limit) and logs a table of findings, each with severity, code (GODR…), problem and fix.
    /// Nothing is installed or changed.
    /// </summary>
    /// <example>
    /// <code>
    /// Task("Doctor").Does(() => GoDoctor(new GoDoctorSettings { Workspace = "samples/workspace", Strict = HasArgument("strict") }));
    /// </code>
    /// </example>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">What to examine; null examines the current folder.</param>
    /// <param name="go">The toolchain from <see cref="GoToolchainAliases.GoEnsureToolchain"/>; null looks for go on PATH, then in our cache and the installed Debian gos (nothing is installed).</param>
    /// <param name="dlv">Delve from <see cref="GoToolchainAliases.GoEnsureDelve"/>; null looks in GOBIN, GOPATH/bin, on PATH and in our cache.</param>
    /// <returns>The findings, errors first.</returns>
    /// <exception cref="CakeException">When <see cref="GoDoctorSettings.Strict"/> is set and any finding is an error.</exception>
    [CakeMethodAlias]
    public static GoDoctorReport GoDoctor(this ICakeContext context, GoDoctorSettings? settings = null, GoToolchainResult? go = null, DelveResult? dlv = null)
    {
        settings ??= new GoDoctorSettings();
        var report = CakeRun.Run(context, (host, ct) => Doctor.GoDoctor.RunFindingToolsAsync(settings, go?.ToGoTool(), dlv?.DlvExecutable, host, ct));
        if (settings.Strict && report.HasErrors)
        {
            var codes = string.Join(", ", report.Findings.Where(f => f.Severity == Diagnostics.GoDiagnosticSeverity.Error).Select(f => f.Code));
            throw new CakeException($"Doctor found errors ({codes}) and Strict is set; see the table above for each fix.");
        }

        return report;
    }
}
