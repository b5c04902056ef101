using System.Text;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Workspace;

/// <summary>A module taking part in the workspace: its folder, its go.work <c>use</c> spelling and its parsed go.mod.</summary>
internal sealed record WorkspaceModule(string Directory, string UsePath, GoModFile Mod);

/// <summary>
/// Writes (or checks) a deterministic go.work from the modules under a root: the go line is the
/// highest any module needs (never lowered), toolchain/godebug/replace statements are carried over
/// verbatim, use entries are sorted <c>./</c> paths. The file is only rewritten when its text changes, and
/// never created where it would change how go resolves the repository as it is.
/// </summary>
internal static class GoWorkSynchronizer
{
    internal const string DuplicateModule = "GO3001";
    internal const string ReplaceShadowed = "GO3002";
    internal const string RequireOverridden = "GO3003";
    internal const string MissingModule = "GO3004";
    internal const string SingleModuleNotWritten = "GO3006";
    internal const string VendoredNotWritten = "GO3007";

    // go.work exists since Go 1.18; a workspace whose modules state no go line still needs one.
    private const string MinimumWorkGo = "1.18";

    public static async Task<GoWorkSyncResult> SyncAsync(GoWorkSyncSettings settings, GoTool? go, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.Workspace));
        var goWorkPath = Path.Combine(root, "go.work");
        var oldText = File.Exists(goWorkPath) ? GoModParser.ReadText(goWorkPath) : null;
        var existing = oldText is null ? null : GoModParser.ParseWork(goWorkPath, oldText, go?.Version);

        var directories = ModuleDiscovery.Find(root, settings.Exclude, log, cancellationToken).ToList();
        if (existing is null && NotToCreate(root, goWorkPath, directories) is { } kept)
        {
            log.Diagnostic(kept);
            return new GoWorkSyncResult(goWorkPath, false, directories, string.Empty, [kept]);
        }

        directories.AddRange(KeptOutsideUses(root, existing, log));
        var modules = ReadModules(root, directories, cancellationToken, go?.Version);

        var findings = new List<GoDiagnostic>();
        var errors = FindErrors(modules);
        foreach (var e in errors) log.Diagnostic(e);
        if (errors.Count > 0)
        {
            throw new GoDebugException($"Cannot sync {goWorkPath}: {string.Join("; ", errors.Select(e => e.ToString()))}");
        }

        findings.AddRange(FindNotices(modules));
        foreach (var f in findings) log.Diagnostic(f);

        var goLine = GoLine(existing, modules);
        if (go is not null && GoVersion.TryParse(goLine) is { } needed && needed > go.Version)
        {
            log.Warning($"go.work needs go {goLine} but {go.Executable} is go {go.Version}; the go command will refuse the workspace.");
        }

        var newText = Render(existing, goLine, modules.Select(m => m.UsePath));
        var changed = !string.Equals(oldText, newText, StringComparison.Ordinal);
        var diff = UnifiedDiff.Create(oldText ?? string.Empty, newText, oldText is null ? "/dev/null" : "go.work (current)", "go.work (synced)");
        var dirs = modules.Select(m => m.Directory).ToList();
        if (settings.Check)
        {
            if (changed) log.Warning($"{goWorkPath} is out of date:\n{diff}");
            else log.Info($"{goWorkPath} is up to date ({modules.Count} modules).");
            return new GoWorkSyncResult(goWorkPath, changed, dirs, diff, findings);
        }

        var wrote = AtomicFile.WriteTextIfChanged(goWorkPath, newText);
        log.Info(wrote ? $"Wrote {goWorkPath} ({modules.Count} modules)." : $"{goWorkPath} is up to date ({modules.Count} modules).");
        return new GoWorkSyncResult(goWorkPath, wrote, dirs, wrote ? diff : string.Empty, findings);
    }

    /// <summary>
    /// Why no go.work may be created where none exists, or null when one may. go resolves a repository as it is:
    /// a module at the root builds without one (a go.work would also put the nested modules in place of the
    /// versions it requires), and a module with vendor/modules.txt builds from its vendor folder, which workspace
    /// mode does not read (Go 1.22 and later read only the workspace's own vendor folder that 'go work vendor'
    /// makes; older Go reads a module's vendor folder only while the workspace has no second module), so a go.work
    /// would send it to the module cache and the network instead. An existing go.work is the user's choice and is
    /// kept in sync.
    /// </summary>
    private static GoDiagnostic? NotToCreate(string root, string goWorkPath, IReadOnlyList<string> directories)
    {
        if (directories.FirstOrDefault(d => File.Exists(Path.Combine(d, "vendor", "modules.txt"))) is { } vendored)
        {
            var manifest = Path.Combine(vendored, "vendor", "modules.txt");
            var point = PathChecks.SamePath(vendored, root) ? string.Empty : $" Point the workspace at {vendored} to build it.";
            return new GoDiagnostic(
                GoDiagnosticSeverity.Notice,
                VendoredNotWritten,
                $"{goWorkPath} not written: {manifest} makes go build {vendored} from its vendor folder, and a go.work would switch it to the module cache and the network (Go 1.22 and later read only a workspace's own vendor folder, made by 'go work vendor'; older Go reads none once the workspace has a second module).{point}",
                manifest);
        }

        if (!File.Exists(Path.Combine(root, "go.mod"))) return null;
        var nested = directories.Count(d => !PathChecks.SamePath(d, root));
        var why = nested == 0
            ? $"{root} is a single module, which go builds as it is"
            : $"{root} is a module itself, which go builds as it is; a go.work would put its {nested} nested module{(nested == 1 ? string.Empty : "s")} in place of the versions it requires";
        return new GoDiagnostic(GoDiagnosticSeverity.Notice, SingleModuleNotWritten, $"{goWorkPath} not written: {why}.", Path.Combine(root, "go.mod"));
    }

    /// <summary>
    /// Reads the go.mod of every directory. Sequential on purpose: each file is a few hundred bytes and
    /// parses in microseconds, so fanning out to the thread pool cost more than it saved on a busy machine.
    /// </summary>
    internal static IReadOnlyList<WorkspaceModule> ReadModules(string root, IReadOnlyList<string> directories, CancellationToken cancellationToken, GoVersion? goInUse = null)
    {
        var modules = new List<WorkspaceModule>(directories.Count);
        foreach (var dir in directories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            modules.Add(new WorkspaceModule(dir, UsePath(root, dir), GoModParser.ReadMod(Path.Combine(dir, "go.mod"), goInUse)));
        }

        modules.Sort((a, b) => string.CompareOrdinal(a.UsePath, b.UsePath));
        return modules;
    }

    /// <summary>"./a/b" for a folder under the root, "." for the root, "../x" for one outside it.</summary>
    internal static string UsePath(string root, string dir)
    {
        if (dir.Length > root.Length + 1 && dir.StartsWith(root, StringComparison.Ordinal) && dir[root.Length] == Path.DirectorySeparatorChar)
        {
            return "./" + dir[(root.Length + 1)..].Replace('\\', '/');
        }

        var rel = ModuleDiscovery.Relative(root, dir);
        return rel == "." || rel.StartsWith("../", StringComparison.Ordinal) || rel == ".." || Path.IsPathRooted(rel) ? rel : "./" + rel;
    }

    /// <summary>The modules a workspace's go.work uses, read and parsed (what the graph and IDE configs work from).</summary>
    internal static IReadOnlyList<WorkspaceModule> ReadWorkspace(string workspace, CancellationToken cancellationToken, GoVersion? goInUse = null)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        var goWork = Path.Combine(root, "go.work");
        if (!File.Exists(goWork))
        {
            throw new GoDebugException($"{goWork} does not exist; write it with the workspace sync first.", FixHint.Run(GoStep.WorkspaceSync));
        }

        var work = GoModParser.ReadWork(goWork, goInUse);
        var dirs = new List<string>();
        foreach (var use in work.Use)
        {
            var dir = Path.GetFullPath(Path.Combine(root, use.DiskPath));
            if (!File.Exists(Path.Combine(dir, "go.mod")))
            {
                throw new GoDebugException($"{goWork}:{use.Line}: use {use.DiskPath}: {dir} has no go.mod.");
            }

            dirs.Add(dir);
        }

        return ReadModules(root, dirs.Distinct(StringComparer.Ordinal).ToList(), cancellationToken, goInUse);
    }

    /// <summary>Existing use entries outside the root were put there on purpose; they stay while their go.mod exists.</summary>
    private static IEnumerable<string> KeptOutsideUses(string root, GoWorkFile? existing, IGoDebugLog log)
    {
        if (existing is null) yield break;
        foreach (var use in existing.Use)
        {
            var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, use.DiskPath)));
            var rel = Path.GetRelativePath(root, dir);
            if (!(rel == ".." || rel.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(rel))) continue;
            if (File.Exists(Path.Combine(dir, "go.mod"))) yield return dir;
            else log.Warning($"{existing.FilePath}:{use.Line}: dropping use {use.DiskPath}: {dir} has no go.mod.");
        }
    }

    private static List<GoDiagnostic> FindErrors(IReadOnlyList<WorkspaceModule> modules)
    {
        var errors = new List<GoDiagnostic>();
        foreach (var m in modules.Where(m => m.Mod.Module.Length == 0))
        {
            errors.Add(new GoDiagnostic(GoDiagnosticSeverity.Error, MissingModule, "go.mod has no module directive", m.Mod.FilePath, 1, 1));
        }

        foreach (var group in modules.Where(m => m.Mod.Module.Length > 0).GroupBy(m => m.Mod.Module, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var all = group.ToList();
            foreach (var m in all.Skip(1))
            {
                errors.Add(new GoDiagnostic(
                    GoDiagnosticSeverity.Error,
                    DuplicateModule,
                    $"module path {group.Key} is declared in both {all[0].Directory} and {m.Directory}; rename one or exclude it from the workspace",
                    m.Mod.FilePath,
                    m.Mod.ModuleLine,
                    1));
            }
        }

        return errors;
    }

    private static IEnumerable<GoDiagnostic> FindNotices(IReadOnlyList<WorkspaceModule> modules)
    {
        var byPath = modules.ToDictionary(m => m.Mod.Module, StringComparer.Ordinal);
        foreach (var m in modules)
        {
            foreach (var r in m.Mod.Replace)
            {
                if (byPath.TryGetValue(r.Old.Path, out var used))
                {
                    yield return new GoDiagnostic(
                        GoDiagnosticSeverity.Notice,
                        ReplaceShadowed,
                        $"replace {r.Old.Path} => {r.New.Path}{(r.New.Version.Length > 0 ? " " + r.New.Version : string.Empty)} has no effect in the workspace: go.work uses {used.UsePath} for {r.Old.Path}, and use is resolved before replace",
                        m.Mod.FilePath,
                        r.Line,
                        1);
                }
            }

            foreach (var req in m.Mod.Require)
            {
                if (byPath.TryGetValue(req.Path, out var used) && !IsPlaceholder(req.Version))
                {
                    yield return new GoDiagnostic(
                        GoDiagnosticSeverity.Notice,
                        RequireOverridden,
                        $"require {req.Path} {req.Version} is overridden in the workspace by {used.UsePath}; builds outside the workspace use {req.Version}",
                        m.Mod.FilePath,
                        req.Line,
                        1);
                }
            }
        }
    }

    // v0.0.0 (or a zero pseudo-version) is the usual way to say "only ever built from the workspace".
    private static bool IsPlaceholder(string version)
        => version == "v0.0.0" || version.StartsWith("v0.0.0-00010101000000-", StringComparison.Ordinal);

    private static string GoLine(GoWorkFile? existing, IReadOnlyList<WorkspaceModule> modules)
    {
        var candidates = modules.Select(m => m.Mod.Go).Append(existing?.Go).OfType<string>()
            .Select(v => (Text: v, Version: GoVersion.TryParse(v)))
            .Where(v => v.Version is not null)
            .OrderByDescending(v => v.Version!)
            .ToList();
        return candidates.Count > 0 ? candidates[0].Text : MinimumWorkGo;
    }

    private static string Render(GoWorkFile? existing, string goLine, IEnumerable<string> uses)
    {
        var parts = new List<string>();
        if (existing is { HeaderComment.Length: > 0 }) parts.Add(existing.HeaderComment);
        parts.Add("go " + goLine);
        foreach (var verb in new[] { "toolchain", "godebug" })
        {
            parts.AddRange(existing?.StatementText.Where(s => s.Verb == verb).Select(s => s.Text) ?? []);
        }

        var use = new StringBuilder("use (\n");
        foreach (var u in uses) use.Append('\t').Append(ModuleVersionRules.AutoQuote(u)).Append('\n');
        parts.Add(use.Append(')').ToString());
        parts.AddRange(existing?.StatementText.Where(s => s.Verb == "replace").Select(s => s.Text) ?? []);
        return string.Join("\n\n", parts) + "\n";
    }
}
