using System.Text;

namespace GoDebug.Tasks.Diagnostics;

/// <summary>One stable code we report, what it means, and what to do about it.</summary>
internal sealed record DiagnosticEntry(string Code, string Area, GoDiagnosticSeverity Severity, string Meaning);

/// <summary>
/// Every code GoDebug.Tasks reports (GO…, GODR…), in one table: <c>docs/diagnostics.md</c> is rendered from it
/// and a test checks both against the codes in the source, so a code never ships undocumented.
/// </summary>
internal static class DiagnosticCatalog
{
    public static IReadOnlyList<DiagnosticEntry> All { get; } =
    [
        new("GO0001", "any", GoDiagnosticSeverity.Error, "A step failed on input or a tool it could not use; the message names the file, flag or command and the fix."),
        new("GO1001", "build", GoDiagnosticSeverity.Error, "go build failed without a compiler message that names a file (a link error, a missing package, go itself failing)."),
        new("GO3001", "workspace", GoDiagnosticSeverity.Error, "Two folders declare the same module path; go.work can use only one of them: rename one or exclude it."),
        new("GO3002", "workspace", GoDiagnosticSeverity.Notice, "A replace in a module's go.mod has no effect in the workspace: go.work's use of that module is resolved first."),
        new("GO3003", "workspace", GoDiagnosticSeverity.Notice, "A module requires a version of another workspace module; in the workspace the local copy is used instead."),
        new("GO3004", "workspace", GoDiagnosticSeverity.Error, "A go.mod has no module directive, so the workspace cannot use it."),
        new("GO3005", "workspace", GoDiagnosticSeverity.Warning, "Workspace modules require each other in a cycle."),
        new("GO3010", "msbuild", GoDiagnosticSeverity.Error, "go.work is out of date and the build only checks it (GoWorkSyncCheck)."),
        new("GO4001", "msbuild", GoDiagnosticSeverity.Error, "GoBuild failed for the packages named; the compiler errors are listed before it."),
        new("GODR001", "doctor", GoDiagnosticSeverity.Error, "No go was found."),
        new("GODR002", "doctor", GoDiagnosticSeverity.Error, "The go found is older than the workspace requires."),
        new("GODR003", "doctor", GoDiagnosticSeverity.Error, "The file that states the Go requirement (.go-version, go.work, go.mod) cannot be read."),
        new("GODR004", "doctor", GoDiagnosticSeverity.Error, "GOWORK points at a go.work outside the workspace, so go builds another module set."),
        new("GODR005", "doctor", GoDiagnosticSeverity.Warning, "GOWORK=off while the workspace has a go.work: sibling modules come from the module cache."),
        new("GODR006", "doctor", GoDiagnosticSeverity.Error, "GOFLAGS holds -mod=mod or -mod=vendor, which workspace mode rejects."),
        new("GODR007", "doctor", GoDiagnosticSeverity.Warning, "A workspace module also exists under GOPATH/src; tools resolving through GOPATH see the stale copy."),
        new("GODR008", "doctor", GoDiagnosticSeverity.Warning, "GOMODCACHE is inside the workspace."),
        new("GODR009", "doctor", GoDiagnosticSeverity.Warning, "dlv (Delve) was not found."),
        new("GODR010", "doctor", GoDiagnosticSeverity.Warning, "dlv is older than the Go in use."),
        new("GODR011", "doctor", GoDiagnosticSeverity.Warning, "dlv does not run or reports no version."),
        new("GODR012", "doctor", GoDiagnosticSeverity.Warning, "GOTOOLCHAIN makes go download and run another toolchain."),
        new("GODR013", "doctor", GoDiagnosticSeverity.Notice, "GOBIN (or GOPATH/bin) is not on PATH."),
        new("GODR014", "doctor", GoDiagnosticSeverity.Warning, "The inotify watch limit is below the workspace's folder count."),
        new("GODR015", "doctor", GoDiagnosticSeverity.Error, "'go env -json' failed in the workspace."),
    ];

    /// <summary>The catalogue as the Markdown page <c>docs/diagnostics.md</c>.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("# Diagnostic codes\n\n");
        text.Append("Every code GoDebug.Tasks reports. MSBuild shows them in the error list, Cake and GitHub Actions annotations\n");
        text.Append("print them before the message. Generated from `src/GoDebug.Tasks/Diagnostics/DiagnosticCatalog.cs`; a test keeps\n");
        text.Append("this page, that file and the codes in the source equal.\n\n");
        text.Append("| code | area | severity | meaning |\n|---|---|---|---|\n");
        foreach (var e in All)
        {
            text.Append($"| {e.Code} | {e.Area} | {e.Severity.ToString().ToLowerInvariant()} | {e.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }
}
