using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Workspace;

/// <summary>A <c>package main</c> of a module: its import path and absolute folder.</summary>
internal sealed record GoMainPackage(string ImportPath, string Directory);

/// <summary>One module of the workspace with the workspace modules it requires and its main packages.</summary>
internal sealed record ModuleNode(WorkspaceModule Module, IReadOnlyList<string> Requires, IReadOnlyList<GoMainPackage> MainPackages)
{
    public string Path => Module.Mod.Module;
}

/// <summary>
/// The workspace's modules in dependency order (a module after every module it requires), with
/// require cycles reported rather than fatal. Main packages come from <c>go list</c> (so build
/// constraints count) and are cached in <c>.godebug/graph.json</c>, keyed by a stamp of go.work,
/// every go.mod and the .go file names of its packages, so they are listed again only after a change.
/// </summary>
internal sealed record ModuleGraph(string Workspace, IReadOnlyList<ModuleNode> Modules, IReadOnlyList<IReadOnlyList<string>> Cycles, bool FromCache)
{
    internal const string CycleCode = "GO3005";
    private const string MainFormat = "{{if eq .Name \"main\"}}{{with .Module}}{{.Path}}{{end}}|{{.ImportPath}}|{{.Dir}}{{end}}";

    public static string CachePath(string workspace) => System.IO.Path.Combine(System.IO.Path.GetFullPath(workspace), ".godebug", "graph.json");

    public static async Task<ModuleGraph> LoadAsync(string workspace, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
    {
        var log = host.Log;
        ArgumentNullException.ThrowIfNull(go);
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(workspace));
        var modules = GoWorkSynchronizer.ReadWorkspace(root, cancellationToken);
        var stamp = Stamp(root, modules, cancellationToken);
        var cachePath = CachePath(root);
        var cached = ReadCache(cachePath, stamp, log);
        var mains = cached ?? await ListMainsAsync(root, modules, go, log, cancellationToken).ConfigureAwait(false);
        if (cached is null)
        {
            var json = JsonSerializer.Serialize(new CacheFile(stamp, mains.ToDictionary(
                kv => kv.Key,
                kv => kv.Value.Select(m => new CachedMain(m.ImportPath, ModuleDiscovery.Relative(root, m.Directory))).ToList())), CacheJson);
            AtomicFile.WriteTextIfChanged(cachePath, json + "\n");
        }

        var byPath = modules.ToDictionary(m => m.Mod.Module, StringComparer.Ordinal);
        var edges = modules.ToDictionary(
            m => m.Mod.Module,
            m => (IReadOnlyList<string>)m.Mod.Require.Select(r => r.Path).Where(p => byPath.ContainsKey(p) && p != m.Mod.Module).Distinct().Order(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
        var (order, cycles) = Order(edges);
        foreach (var cycle in cycles)
        {
            var first = byPath[cycle[0]];
            log.Diagnostic(new GoDiagnostic(GoDiagnosticSeverity.Warning, CycleCode, $"modules require each other in a cycle: {string.Join(" -> ", cycle.Append(cycle[0]))}", first.Mod.FilePath));
        }

        var nodes = order.Select(p => new ModuleNode(byPath[p], edges[p], mains.TryGetValue(byPath[p].UsePath, out var list) ? list : [])).ToList();
        return new ModuleGraph(root, nodes, cycles, cached is not null);
    }

    /// <summary>Dependency order via the strongly connected components (Tarjan); members of a cycle stay together, by path.</summary>
    internal static (List<string> Order, List<IReadOnlyList<string>> Cycles) Order(IReadOnlyDictionary<string, IReadOnlyList<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var order = new List<string>();
        var cycles = new List<IReadOnlyList<string>>();
        var next = 0;

        // Tarjan emits a component only after every component it reaches, which is dependencies-first order.
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            }
            while (x != v);
            component.Sort(StringComparer.Ordinal);
            if (component.Count > 1) cycles.Add(component);
            order.AddRange(component);
        }

        foreach (var v in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v)) Visit(v);
        }

        return (order, cycles);
    }

    /// <summary>
    /// One <c>go list</c> over <c>moduleDir/...</c> patterns rather than one per module: go loads the whole
    /// workspace on every start, so a process per module made the listing quadratic in the module count.
    /// The patterns go in batches that stay under Windows' command-line limit.
    /// </summary>
    private static async Task<Dictionary<string, IReadOnlyList<GoMainPackage>>> ListMainsAsync(string root, IReadOnlyList<WorkspaceModule> modules, GoTool go, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var usePathOf = modules.Where(m => m.Mod.Module.Length > 0).GroupBy(m => m.Mod.Module, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().UsePath, StringComparer.Ordinal);
        var found = modules.ToDictionary(m => m.UsePath, _ => new List<GoMainPackage>(), StringComparer.Ordinal);
        log.Info($"Listing main packages of {modules.Count} modules ...");
        foreach (var batch in PatternBatches(modules.Select(m => System.IO.Path.Combine(m.Directory, "..."))))
        {
            // -e: a package with errors is still listed, so one broken file does not hide every launch target.
            var r = await go.RunAsync(["list", "-e", "-f", MainFormat, .. batch], root, cancellationToken).ConfigureAwait(false);
            if (!r.Succeeded)
            {
                log.Warning($"'go list' in {root} failed (exit {r.ExitCode}): {r.StandardError.Trim()}");
            }

            foreach (var fields in r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split('|', 3)))
            {
                if (fields.Length == 3 && usePathOf.TryGetValue(fields[0], out var usePath)) found[usePath].Add(new GoMainPackage(fields[1], fields[2]));
            }
        }

        return found.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<GoMainPackage>)kv.Value.Distinct().OrderBy(p => p.ImportPath, StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);
    }

    private static IEnumerable<List<string>> PatternBatches(IEnumerable<string> patterns)
    {
        const int MaxCharacters = 24_000;
        var batch = new List<string>();
        var length = 0;
        foreach (var pattern in patterns)
        {
            if (batch.Count > 0 && length + pattern.Length + 1 > MaxCharacters)
            {
                yield return batch;
                batch = [];
                length = 0;
            }

            batch.Add(pattern);
            length += pattern.Length + 1;
        }

        if (batch.Count > 0) yield return batch;
    }

    private static Dictionary<string, IReadOnlyList<GoMainPackage>>? ReadCache(string path, string stamp, IGoDebugLog log)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var cache = JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(path), CacheJson);
            if (cache?.Stamp != stamp || cache.Mains is null) return null;
            var root = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(path))!;
            return cache.Mains.ToDictionary(
                kv => kv.Key,
                kv => (IReadOnlyList<GoMainPackage>)kv.Value.Select(m => new GoMainPackage(m.ImportPath, System.IO.Path.GetFullPath(System.IO.Path.Combine(root, m.Directory)))).ToList(),
                StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            // A cache is disposable: a damaged one is rebuilt, never fatal.
            log.Verbose($"Ignoring unreadable {path}: {ex.Message}");
            return null;
        }
    }

    /// <summary>SHA-256 over go.work, each go.mod and the names of each module's package .go files (what go list's answer depends on).</summary>
    private static string Stamp(string root, IReadOnlyList<WorkspaceModule> modules, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\0"));
        Add(File.ReadAllText(System.IO.Path.Combine(root, "go.work")));
        foreach (var m in modules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Add(m.UsePath);
            Add(File.ReadAllText(m.Mod.FilePath));
            foreach (var file in ModuleDiscovery.GoFilesOfModule(m.Directory, cancellationToken)) Add(file);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static readonly JsonSerializerOptions CacheJson = new() { WriteIndented = true };

    private sealed record CachedMain(string ImportPath, string Directory);

    private sealed record CacheFile(string Stamp, Dictionary<string, List<CachedMain>> Mains);
}
