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
        new("GO3006", "workspace", GoDiagnosticSeverity.Notice, "No go.work was created: the workspace root is a module, which go builds as it is (a go.work would also replace its nested modules' required versions)."),
        new("GO3007", "workspace", GoDiagnosticSeverity.Notice, "No go.work was created: a module has vendor/modules.txt, and workspace mode would ignore its vendor folder and fetch modules instead."),
        new("GO3010", "msbuild", GoDiagnosticSeverity.Error, "go.work is out of date and the build only checks it (GoWorkSyncCheck)."),
        new("GO3020", "workspace", GoDiagnosticSeverity.Error, "No workspace was given and the repository holds no go.work or go.mod in the folders searched."),
        new("GO3021", "workspace", GoDiagnosticSeverity.Error, "No workspace was given and the repository holds several go.work files side by side; they are named, and one must be chosen."),
        new("GO4001", "msbuild", GoDiagnosticSeverity.Error, "GoBuild failed for the packages named; the compiler errors are listed before it."),
        new("GO5001", "watch", GoDiagnosticSeverity.Warning, "Stable diagnostic codes of the watcher (range GO5xxx).</summary> internal static class WatchCodes { /// <summary>The inotify instance or watch limit is exhausted; the watcher polls instead (slower, same results)."),
        new("GO5002", "watch", GoDiagnosticSeverity.Warning, "The program rewrites files in the tree it is watched from, so every start caused the next; those files are ignored from then on."),
        new("GO5004", "watch", GoDiagnosticSeverity.Error, "The rebuilt program failed to build; the previous one keeps running until a change builds."),
        new("GO5005", "watch", GoDiagnosticSeverity.Warning, "The program exited on its own; the next change that builds starts it again."),
        new("GO5006", "watch", GoDiagnosticSeverity.Notice, "The kernel's event queue overflowed; the watcher rescanned the tree instead of trusting the events."),
        new("GO6001", "profiling", GoDiagnosticSeverity.Error, "Stable codes of the profiling engine (GO6xxx); documentation and CI filters refer to them, so never renumber.</summary> internal static class ProfilingCodes { /// <summary>Nothing accepted connections at the service's address for the whole start-up wait."),
        new("GO6002", "profiling", GoDiagnosticSeverity.Error, "net/http/pprof answered with its own error text (header X-Go-Pprof: 1): unknown profile, CPU profiling or tracing already in use, a duration over the server's WriteTimeout."),
        new("GO6003", "profiling", GoDiagnosticSeverity.Error, "The endpoint answered with something that is not a profile: an HTML page (login, proxy, 404 page) or other text."),
        new("GO6004", "profiling", GoDiagnosticSeverity.Error, "The endpoint answered with an HTTP status other than 200 and no pprof error text."),
        new("GO6005", "profiling", GoDiagnosticSeverity.Error, "The request did not finish within its timeout (the requested seconds plus a margin for timed profiles)."),
        new("GO6006", "profiling", GoDiagnosticSeverity.Error, "The body ended early or does not decode (truncated gzip, broken profile.proto, a trace without its header)."),
        new("GO6007", "profiling", GoDiagnosticSeverity.Error, "LeakGate: goroutines grew by more than the allowed number under load."),
        new("GO6008", "profiling", GoDiagnosticSeverity.Error, "LeakGate: in-use heap grew by more than the allowed bytes under load."),
        new("GO6009", "profiling", GoDiagnosticSeverity.Error, "ProfileDiff: a function's share of CPU or allocations grew past the regression threshold."),
        new("GO6010", "profiling", GoDiagnosticSeverity.Notice, "The bpftrace malloc-stack capture was skipped (not root, no bpftrace, no local process behind the URL) or failed."),
        new("GO6011", "profiling", GoDiagnosticSeverity.Notice, "Call graphs were skipped: Graphviz dot is not on PATH (flame graphs are still in the report)."),
        new("GO6012", "profiling", GoDiagnosticSeverity.Warning, "go tool trace or go tool pprof failed on a captured file; the report shows what it printed."),
        new("GO6013", "profiling", GoDiagnosticSeverity.Error, "A capture folder given for comparison has no such profile or no meta.json."),
        new("GO6014", "profiling", GoDiagnosticSeverity.Error, "A setting has a value the engine cannot use (a URL that is not http(s), an unknown profile name, seconds out of range)."),
        new("GO7001", "ci", GoDiagnosticSeverity.Warning, "The step summary would pass GitHub's 1 MiB per-step limit; the rest was cut and a note says so."),
        new("GO7002", "ci", GoDiagnosticSeverity.Warning, "The pull request comment could not be written (read-only token, bad token, no such PR, rate limit); the summary holds the report instead."),
        new("GO7003", "ci", GoDiagnosticSeverity.Error, "The base of the affected-module diff is not in the clone (shallow checkout) and fetching it failed."),
        new("GO7004", "ci", GoDiagnosticSeverity.Notice, "A changed shared file (go.work, a workflow, global.json …) marks every module and project affected."),
        new("GO7005", "ci", GoDiagnosticSeverity.Notice, "The installed dlv is older than Delve's latest release."),
        new("GO7006", "ci", GoDiagnosticSeverity.Error, "The workspace (or, without one, the folder the matrix runs from) is in no git checkout, so there is no history to plan from; no other repository's plan is made instead."),
        new("GO8001", "debug", GoDiagnosticSeverity.Error, "dlv exited while the program was being debugged (crash, kill, OOM); the program it left was ended and dlv started again on the same build, clients kept on the endpoint."),
        new("GO8002", "debug", GoDiagnosticSeverity.Error, "The program exited at start under dlv (a port taken, a panic); its last output is shown and it is not reported ready."),
        new("GO8003", "debug", GoDiagnosticSeverity.Warning, "A debugger client sent bytes that are neither DAP nor dlv's JSON-RPC, or left a message half sent; only its connection was closed."),
        new("GO8004", "debug", GoDiagnosticSeverity.Warning, "A breakpoint could not be set again in the new build (its line no longer holds code); the others were."),
        new("GO8005", "debug", GoDiagnosticSeverity.Error, "dlv could not start the new build; the previous program and dlv keep serving."),
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
