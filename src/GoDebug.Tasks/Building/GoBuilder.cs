using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Processes;
using GoDebug.Tasks.Toolchain;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Building;

/// <summary>Incremental per-target Go builds.</summary>
/// <remarks>
/// A no-op build runs no go process at all: the state holds every input file's size+mtime (and
/// content hash), every package directory's listing and, when targets are discovered, every module's
/// tree of .go files. Only when one of those moved does go list run again, and then only for the
/// targets whose inputs moved (all of them when go.work or the module trees changed).
/// </remarks>
internal static class GoBuilder
{
    /// <summary>Our code for a go build that failed without a located compiler message.</summary>
    public const string BuildFailedCode = "GO1001";

    public static async Task<GoBuildResult> BuildAsync(GoBuildSettings settings, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        ArgumentNullException.ThrowIfNull(go);
        ArgumentNullException.ThrowIfNull(log);
        var options = GoBuildOptions.From(settings);
        GoBuildPlanner.EnsureWorkspace(options);
        await using var held = await FileLock.AcquireAsync(options.LockPath, log, cancellationToken).ConfigureAwait(false);

        var configurationKey = options.ConfigurationKey(go.Version, go.Environment, host.Environment);
        var configurationHash = GoBuildFingerprint.HashLines(configurationKey
            .Append("targets=" + string.Join('\u001f', settings.Targets))
            .Append("libraries=" + settings.CheckLibraries));
        var discover = settings.Targets.Count == 0 || settings.CheckLibraries;
        var previous = GoBuildState.Load(options.StatePath);
        if (previous is not null && !string.Equals(previous.Configuration, configurationHash, StringComparison.Ordinal)) previous = null;
        var hashes = new GoBuildFingerprint(previous?.Files ?? new Dictionary<string, FileStamp>());
        var listings = new Dictionary<string, string>(StringComparer.Ordinal);

        var planned = previous is null
            ? await PlanEverythingAsync(options, go, discover, cancellationToken).ConfigureAwait(false)
            : await PlanChangesAsync(options, go, log, previous, hashes, listings, discover, cancellationToken).ConfigureAwait(false);
        if (planned is null)
        {
            log.Info($"Go build ({settings.Configuration}): {previous!.Targets.Count} target(s) up to date.");
            return new GoBuildResult(previous.Targets.Select(t => new GoBuildTargetResult(t.Package, t.ModuleDirectory, t.OutputPath, Skipped: true, Succeeded: true)).ToList(), []) { InputFiles = previous.Files.Keys.ToList() };
        }

        var (plan, kept, trees) = planned;
        var before = previous?.Targets.ToDictionary(t => t.Pattern, StringComparer.Ordinal) ?? new Dictionary<string, TargetState>(StringComparer.Ordinal);
        var fingerprints = plan.Targets.ToDictionary(t => t.Pattern, t => hashes.Compute(configurationKey, t.Files), StringComparer.Ordinal);
        var toBuild = plan.Targets.Where(t => !(before.TryGetValue(t.Pattern, out var old)
                && string.Equals(old.Fingerprint, fingerprints[t.Pattern], StringComparison.Ordinal)
                && (t.IsLibraryCheck || File.Exists(t.OutputPath))))
            .ToList();

        var (succeeded, diagnostics) = toBuild.Count == 0
            ? (new HashSet<string>(StringComparer.Ordinal), new List<GoDiagnostic>())
            : await RunGoBuildAsync(options, go, plan, toBuild, host, cancellationToken).ConfigureAwait(false);
        var built = toBuild.Select(t => t.Pattern).ToHashSet(StringComparer.Ordinal);

        var results = kept.Select(t => new GoBuildTargetResult(t.Package, t.ModuleDirectory, t.OutputPath, Skipped: true, Succeeded: true))
            .Concat(plan.Targets.Select(t => new GoBuildTargetResult(t.Package, t.ModuleDirectory, t.OutputPath, Skipped: !built.Contains(t.Pattern), Succeeded: !built.Contains(t.Pattern) || succeeded.Contains(t.Pattern))))
            .OrderBy(r => r.Package, StringComparer.Ordinal)
            .ToList();
        var targets = kept.Concat(plan.Targets.Select(t => new TargetState
        {
            Package = t.Package,
            ModuleDirectory = t.ModuleDirectory,
            OutputPath = t.OutputPath,
            Pattern = t.Pattern,
            Fingerprint = !built.Contains(t.Pattern) || succeeded.Contains(t.Pattern) ? fingerprints[t.Pattern] : null,
            Files = t.Files,
            Directories = t.Directories,
        })).OrderBy(t => t.Pattern, StringComparer.Ordinal).ToList();

        var files = targets.SelectMany(t => t.Files).Distinct(StringComparer.Ordinal)
            .Select(f => (File: f, Stamp: hashes.Stamp(f))).Where(p => p.Stamp is not null)
            .ToDictionary(p => p.File, p => p.Stamp!, StringComparer.Ordinal);
        Save(options, new GoBuildState
        {
            Configuration = configurationHash,
            Files = files,
            Directories = targets.SelectMany(t => t.Directories).Distinct(StringComparer.Ordinal).ToDictionary(d => d, d => Listing(listings, d), StringComparer.Ordinal),
            Trees = trees,
            WorkspaceFiles = plan.WorkspaceFiles,
            Packages = plan.PackageDirectories,
            Targets = targets,
        });

        var skipped = results.Count(r => r.Skipped);
        var failed = results.Count(r => !r.Succeeded);
        var summary = $"Go build ({settings.Configuration}): {results.Count - skipped - failed} built, {skipped} up to date, {failed} failed; binaries in {options.OutputDirectory}";
        if (failed == 0) log.Info(summary);
        else log.Error(summary);
        return new GoBuildResult(results, diagnostics) { InputFiles = files.Keys };
    }

    /// <summary>Removes the outputs and state of <paramref name="settings"/>'s configuration, Watch's reload builds of it included.</summary>
    public static async Task CleanAsync(GoBuildSettings settings, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var profile in new[] { GoBuildProfile.Standard, GoBuildProfile.Reload })
        {
            await CleanProfileAsync(settings with { Profile = profile }, host, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CleanProfileAsync(GoBuildSettings settings, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        ArgumentNullException.ThrowIfNull(log);
        var options = GoBuildOptions.From(settings);
        await using (await FileLock.AcquireAsync(options.LockPath, log, cancellationToken).ConfigureAwait(false))
        {
            if (settings.OutputDirectory is null)
            {
                AtomicFile.TryDelete(options.OutputDirectory);
            }
            else
            {
                // A chosen output folder may hold other files: remove only the binaries we recorded.
                foreach (var target in GoBuildState.Load(options.StatePath)?.Targets ?? [])
                {
                    if (target.OutputPath.Length > 0) AtomicFile.TryDelete(target.OutputPath);
                }
            }

            AtomicFile.TryDelete(options.StatePath);
            log.Info($"Removed Go {settings.Configuration} outputs in {options.OutputDirectory} and {options.StatePath}");
        }
    }

    /// <summary>The targets to consider, the ones whose recorded state stands as is, and the module trees to remember.</summary>
    private sealed record Planned(GoBuildPlan Plan, IReadOnlyList<TargetState> Kept, IReadOnlyDictionary<string, string> Trees);

    private static async Task<Planned> PlanEverythingAsync(GoBuildOptions options, GoTool go, bool discover, CancellationToken cancellationToken)
    {
        var plan = await GoBuildPlanner.PlanAsync(options, go, cancellationToken).ConfigureAwait(false);
        return new Planned(plan, [], discover ? HashTrees(plan.ModuleDirectories, cancellationToken) : new Dictionary<string, string>());
    }

    /// <summary>Compares the recorded inputs with the disk; null when nothing moved (no go process ran).</summary>
    private static async Task<Planned?> PlanChangesAsync(GoBuildOptions options, GoTool go, IGoDebugLog log, GoBuildState previous, GoBuildFingerprint hashes, Dictionary<string, string> listings, bool discover, CancellationToken cancellationToken)
    {
        var changedFiles = ChangedFiles(previous, hashes);
        var changedDirectories = previous.Directories.Where(d => !string.Equals(Listing(listings, d.Key), d.Value, StringComparison.Ordinal)).Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var treesMoved = previous.Trees.Any(t => !string.Equals(GoBuildFingerprint.HashModuleTree(t.Key, cancellationToken), t.Value, StringComparison.Ordinal));
        if (treesMoved || previous.WorkspaceFiles.Any(changedFiles.Contains))
        {
            log.Verbose("The workspace's modules or packages changed; listing every target again.");
            return await PlanEverythingAsync(options, go, discover, cancellationToken).ConfigureAwait(false);
        }

        var affected = previous.Targets.Where(t => t.Fingerprint is null
                || t.Files.Any(changedFiles.Contains)
                || t.Directories.Any(changedDirectories.Contains)
                || (t.OutputPath.Length > 0 && !File.Exists(t.OutputPath)))
            .ToList();
        if (affected.Count == 0)
        {
            if (hashes.Stamps.Any(s => !previous.Files.TryGetValue(s.Key, out var old) || old != s.Value))
            {
                // Touched but identical files: remember the new mtimes so the next check is stat-only again.
                Save(options, previous with { Files = previous.Files.Keys.Select(f => (File: f, Stamp: hashes.Stamp(f))).Where(p => p.Stamp is not null).ToDictionary(p => p.File, p => p.Stamp!, StringComparer.Ordinal) });
            }

            return null;
        }

        // Edits inside function bodies (the usual save) leave every file's imports, package clause,
        // build constraints and embeds alone, so go list would report the same inputs: those targets
        // rebuild from their recorded inputs and only the others are listed again.
        var stable = affected.Where(t => t.Fingerprint is not null
                && (t.OutputPath.Length == 0 || File.Exists(t.OutputPath))
                && !t.Directories.Any(changedDirectories.Contains)
                && t.Files.Where(changedFiles.Contains).All(f => SameFileSet(f, previous.Files.GetValueOrDefault(f), hashes.Stamp(f))))
            .ToList();
        var unstable = affected.Except(stable).ToList();
        if (unstable.Count > 0) log.Verbose($"Imports, build constraints or files of {string.Join(", ", unstable.Select(t => t.Package))} may have changed; asking go list again.");
        var listed = unstable.Count == 0
            ? new GoBuildPlan([], new Dictionary<string, string>(), previous.Trees.Keys.ToList(), GoBuildPlanner.WorkspaceFiles(options))
            : await GoBuildPlanner.ReplanAsync(options, go, unstable, previous.Trees.Keys.ToList(), cancellationToken).ConfigureAwait(false);
        var plan = listed with
        {
            Targets = stable.Select(t => new PlannedTarget(t.Package, t.ModuleDirectory, t.OutputPath, t.Pattern, t.Files, t.Directories)).Concat(listed.Targets).ToList(),
            PackageDirectories = previous.Packages.Where(p => !listed.PackageDirectories.ContainsKey(p.Key)).Concat(listed.PackageDirectories)
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        };
        var replanned = affected.Select(t => t.Pattern).ToHashSet(StringComparer.Ordinal);
        return new Planned(plan, previous.Targets.Where(t => !replanned.Contains(t.Pattern)).ToList(), previous.Trees);
    }

    /// <summary>
    /// One go build for all targets: go schedules compiles and links across packages itself and loads
    /// the workspace once. Measured here on a generated go.work of 20 small main modules (2 cores, all 20
    /// edited, Debug flags): one <c>go build -o DIR pkg1 … pkg20</c> 1.9 s, twenty <c>go build</c>s two at a
    /// time (<c>xargs -P 2</c>) 2.9 s.
    /// Binaries land in a temporary folder first and replace the old ones only when linked, so a failed
    /// build keeps the previous binary.
    /// </summary>
    private static async Task<(HashSet<string> Succeeded, List<GoDiagnostic> Diagnostics)> RunGoBuildAsync(GoBuildOptions options, GoTool go, GoBuildPlan plan, IReadOnlyList<PlannedTarget> toBuild, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        var diagnostics = new List<GoDiagnostic>();
        Directory.CreateDirectory(options.OutputDirectory);
        var temp = Path.Combine(options.OutputDirectory, $".building-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var done = 0;
            foreach (var batch in Batches(options, toBuild))
            {
                foreach (var target in batch)
                {
                    log.Info($"[{++done}/{toBuild.Count}] building {target.Package}");
                }

                // Library checks ride in the same invocation as <dir>/... patterns: go build compiles the
                // non-main packages it is given and discards them, so nothing is written and no vet runs.
                // (-o /dev/null takes one package only and is NUL on Windows.)
                var args = new List<string> { "build" };
                args.AddRange(options.BuildFlags());
                if (batch.Any(t => !t.IsLibraryCheck))
                {
                    args.Add("-o");
                    args.Add(temp + Path.DirectorySeparatorChar);
                }

                args.AddRange(batch.Select(t => t.Pattern));
                var command = go.Command(args, options.Workspace, options.Environment);
                log.Verbose(ProcessRunner.Describe(command.Executable, command.Arguments));
                var run = await host.Processes.RunAsync(command, cancellationToken).ConfigureAwait(false);
                var found = GoBuildOutputParser.Parse(run.StandardError, options.Workspace, plan.PackageDirectories);
                foreach (var target in batch)
                {
                    bool ok;
                    if (target.IsLibraryCheck)
                    {
                        var module = target.Package[..^"/...".Length];
                        ok = run.Succeeded || !(found.Count == 0 || found.Any(f => f.Package is { } p && (p == module || p.StartsWith(module + "/", StringComparison.Ordinal))));
                    }
                    else
                    {
                        var linked = Path.Combine(temp, options.GoOutputFileName(target.Package));
                        ok = File.Exists(linked);
                        if (ok) File.Move(linked, target.OutputPath, overwrite: true);
                    }

                    if (ok) succeeded.Add(target.Pattern);
                    else if (found.Count == 0) diagnostics.Add(new GoDiagnostic(GoDiagnosticSeverity.Error, BuildFailedCode, $"go build of {target.Package} failed: {OneLine(run.StandardError)}"));
                }

                diagnostics.AddRange(found.Select(f => f.Diagnostic));
                if (!run.Succeeded && found.Count == 0 && batch.All(t => succeeded.Contains(t.Pattern)))
                {
                    diagnostics.Add(new GoDiagnostic(GoDiagnosticSeverity.Error, BuildFailedCode, $"'{run.CommandLine}' exited with code {run.ExitCode}: {OneLine(run.StandardError)}"));
                }
            }
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }

        foreach (var diagnostic in diagnostics)
        {
            log.Diagnostic(diagnostic);
        }

        return (succeeded, diagnostics);
    }

    /// <summary>go build -o DIR refuses two mains with the same binary name; those go into separate invocations.</summary>
    private static List<List<PlannedTarget>> Batches(GoBuildOptions options, IReadOnlyList<PlannedTarget> targets)
    {
        var batches = new List<(HashSet<string> Names, List<PlannedTarget> Targets)>();
        foreach (var target in targets)
        {
            var name = target.IsLibraryCheck ? null : options.GoOutputFileName(target.Package);
            var batch = batches.FirstOrDefault(b => name is null || !b.Names.Contains(name));
            if (batch.Targets is null)
            {
                batch = (new HashSet<string>(StringComparer.Ordinal), []);
                batches.Add(batch);
            }

            if (name is not null) batch.Names.Add(name);
            batch.Targets.Add(target);
        }

        return batches.Select(b => b.Targets).ToList();
    }

    /// <summary>True when an edit of <paramref name="path"/> cannot change which files go list reports.</summary>
    private static bool SameFileSet(string path, FileStamp? before, FileStamp? after)
        => before is not null && after is not null
           && Path.GetFileName(path) is not ("go.mod" or "go.sum" or "go.work" or "go.work.sum")
           && string.Equals(before.Header, after.Header, StringComparison.Ordinal);

    private static HashSet<string> ChangedFiles(GoBuildState previous, GoBuildFingerprint hashes)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in previous.Targets.SelectMany(t => t.Files).Concat(previous.WorkspaceFiles).Distinct(StringComparer.Ordinal))
        {
            var before = previous.Files.TryGetValue(file, out var stamp) ? stamp.Sha256 : null;
            if (!string.Equals(before, hashes.Stamp(file)?.Sha256, StringComparison.Ordinal)) changed.Add(file);
        }

        return changed;
    }

    private static string Listing(Dictionary<string, string> cache, string directory)
    {
        if (!cache.TryGetValue(directory, out var hash))
        {
            hash = GoBuildFingerprint.HashDirectoryListing(directory);
            cache[directory] = hash;
        }

        return hash;
    }

    private static Dictionary<string, string> HashTrees(IEnumerable<string> moduleDirectories, CancellationToken cancellationToken)
        => moduleDirectories.Distinct(StringComparer.Ordinal).ToDictionary(d => d, d => GoBuildFingerprint.HashModuleTree(d, cancellationToken), StringComparer.Ordinal);

    private static void Save(GoBuildOptions options, GoBuildState state) => state.Save(options.StatePath);

    private static string OneLine(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? "no output" : trimmed.Replace("\r", string.Empty, StringComparison.Ordinal).Replace('\n', ' ');
    }
}
