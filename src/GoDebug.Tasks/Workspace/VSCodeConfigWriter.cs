using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Workspace;

/// <summary>
/// Writes VS Code debug configurations for the workspace's modules (the Go extension's
/// <c>"type": "go"</c> launch/test/attach configurations). Existing files may hold comments and
/// trailing commas; the user's configurations and other settings are kept, ours (named
/// <c>"Go: …"</c>) are replaced. A file that cannot be parsed is left byte for byte as it was.
/// </summary>
internal static class VSCodeConfigWriter
{
    public const string NamePrefix = "Go: ";

    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<GoVSCodeResult> WriteAsync(GoVSCodeSettings settings, GoTool go, GoDebugHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        var log = host.Log;
        if (settings.DlvPort is <= 0 or > 65535) throw new GoDebugException($"DlvPort {settings.DlvPort} is not a TCP port (1-65535).");
        var graph = await ModuleGraph.LoadAsync(settings.Workspace, go, host, cancellationToken).ConfigureAwait(false);
        var root = graph.Workspace;

        var launchPath = Path.Combine(root, ".vscode", "launch.json");
        var ours = Configurations(graph, settings, dir => dir == "." ? "${workspaceFolder}" : "${workspaceFolder}/" + dir);
        var launchText = MergeLaunchJson(launchPath, ReadIfExists(launchPath), ours);

        string? workspacePath = null;
        string? workspaceText = null;
        if (settings.WriteCodeWorkspace)
        {
            var name = settings.CodeWorkspaceName ?? Path.GetFileName(root);
            workspacePath = Path.Combine(root, name + ".code-workspace");
            var folders = FolderNames(graph);
            var inFolders = Configurations(graph, settings, dir => FolderVariable(graph, folders, dir));
            var folderArray = new JsonArray(graph.Modules.OrderBy(m => m.Module.UsePath, StringComparer.Ordinal)
                .Select(m => (JsonNode)new JsonObject { ["name"] = folders[m.Module.UsePath], ["path"] = ModuleDiscovery.Relative(root, m.Module.Directory) }).ToArray());
            workspaceText = Merge(workspacePath, ReadIfExists(workspacePath), inFolders, folderArray);
        }

        // Both files are computed before either is written, so a parse failure leaves both untouched.
        var changed = AtomicFile.WriteTextIfChanged(launchPath, launchText);
        if (workspacePath is not null) changed |= AtomicFile.WriteTextIfChanged(workspacePath, workspaceText!);
        var names = ours.Select(c => (string)c["name"]!).ToList();
        log.Info(changed ? $"Wrote {names.Count} debug configurations to {launchPath}{(workspacePath is null ? string.Empty : " and " + workspacePath)}." : $"{launchPath} is up to date.");
        return new GoVSCodeResult(launchPath, workspacePath, names, changed);
    }

    /// <summary>Our configurations; <paramref name="program"/> turns a workspace-relative folder into the path VS Code should use.</summary>
    private static List<JsonObject> Configurations(ModuleGraph graph, GoVSCodeSettings settings, Func<string, string> program)
    {
        var root = graph.Workspace;
        var result = new List<JsonObject>();
        foreach (var main in graph.Modules.SelectMany(m => m.MainPackages).OrderBy(p => ModuleDiscovery.Relative(root, p.Directory), StringComparer.Ordinal))
        {
            var dir = ModuleDiscovery.Relative(root, main.Directory);
            var launch = Launch($"{NamePrefix}Launch {dir}", "debug", program(dir), settings);
            launch["cwd"] = program(dir);
            result.Add(launch);
        }

        foreach (var module in graph.Modules.OrderBy(m => m.Module.UsePath, StringComparer.Ordinal))
        {
            var dir = ModuleDiscovery.Relative(root, module.Module.Directory);
            result.Add(Launch($"{NamePrefix}Test {dir}", "test", program(dir), settings));
        }

        var attach = new JsonObject
        {
            ["name"] = $"{NamePrefix}Attach to headless dlv",
            ["type"] = "go",
            ["request"] = "attach",
            ["mode"] = "remote",
            // vscode-go picks its legacy adapter for remote attach when the local dlv predates 1.24 (no
            // substitute-path-guess-helper); that adapter speaks JSON-RPC and breaks across our reloads.
            ["debugAdapter"] = "dlv-dap",
            ["host"] = settings.DlvHost,
            ["port"] = settings.DlvPort,
        };
        var remote = settings.RemoteWorkspace?.TrimEnd('/');
        if (!string.IsNullOrEmpty(remote) && !string.Equals(remote, root, StringComparison.Ordinal))
        {
            attach["substitutePath"] = new JsonArray(new JsonObject { ["from"] = program("."), ["to"] = remote });
        }

        result.Add(attach);
        return result;
    }

    /// <summary>A Go extension launch configuration built with the debug flags (mode "debug" for a program, "test" for a package's tests).</summary>
    private static JsonObject Launch(string name, string mode, string program, GoVSCodeSettings settings)
    {
        var env = new JsonObject();
        foreach (var (k, v) in settings.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal)) env[k] = v;
        return new JsonObject
        {
            ["name"] = name,
            ["type"] = "go",
            ["request"] = "launch",
            ["mode"] = mode,
            ["program"] = program,
            ["buildFlags"] = settings.BuildFlags,
            ["env"] = env,
        };
    }

    /// <summary>
    /// The user's file with our configurations replaced (and, for a .code-workspace, its folders set).
    /// A file that does not parse stops everything: the message names file:line:column and why.
    /// </summary>
    internal static string Merge(string path, string? existing, IReadOnlyList<JsonObject> ours, JsonArray? folders)
    {
        JsonObject root;
        if (existing is null || existing.Trim().Length == 0)
        {
            root = [];
        }
        else
        {
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(existing, documentOptions: Jsonc);
            }
            catch (JsonException ex)
            {
                throw new GoDebugException($"{path}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: cannot parse it ({FirstSentence(ex.Message)}); it was left unchanged. Fix the file or move it away and run again.", ex);
            }

            root = parsed as JsonObject ?? throw new GoDebugException($"{path}:1:1: expected a JSON object at the top; it was left unchanged.");
        }

        var launchHolder = folders is null ? root : root["launch"] as JsonObject ?? (root["launch"] is null ? null : throw new GoDebugException($"{path}: \"launch\" is not an object; the file was left unchanged."));
        if (launchHolder is null)
        {
            launchHolder = [];
            root["launch"] = launchHolder;
        }

        var configurations = launchHolder["configurations"] switch
        {
            null => [],
            JsonArray a => a,
            _ => throw new GoDebugException($"{path}: \"configurations\" is not an array; the file was left unchanged."),
        };
        var kept = configurations.Where(c => !IsOurs(c)).Select(c => c?.DeepClone()).ToList();
        var merged = new JsonArray([.. kept, .. ours.Select(o => (JsonNode?)o.DeepClone())]);
        launchHolder["version"] ??= "0.2.0";
        launchHolder["configurations"] = merged;
        if (folders is not null) root["folders"] = folders.DeepClone();
        return root.ToJsonString(Output) + "\n";
    }

    /// <summary>
    /// launch.json keeps the user's bytes: only the configurations array is spliced (ours out, new ours in),
    /// so comments and formatting survive. Without such an array the file is written as JSON.
    /// </summary>
    private static string MergeLaunchJson(string path, string? existing, IReadOnlyList<JsonObject> ours)
    {
        var merged = Merge(path, existing, ours, null);
        if (existing is null) return merged;
        return JsoncArraySplice.Replace(existing, "configurations", element => IsOurs(JsonNode.Parse(element, documentOptions: Jsonc)), ours) ?? merged;
    }

    private static bool IsOurs(JsonNode? configuration)
        => configuration is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out var name) && name.StartsWith(NamePrefix, StringComparison.Ordinal);

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>A folder name per module: the last path segment, or the whole relative path when two would clash.</summary>
    private static Dictionary<string, string> FolderNames(ModuleGraph graph)
    {
        var root = graph.Workspace;
        var modules = graph.Modules.Select(m => (m.Module.UsePath, Rel: ModuleDiscovery.Relative(root, m.Module.Directory))).ToList();
        string Short(string rel) => rel == "." ? Path.GetFileName(root) : rel.Split('/')[^1];
        var clashes = modules.GroupBy(m => Short(m.Rel), StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return modules.ToDictionary(m => m.UsePath, m => clashes.Contains(Short(m.Rel)) ? m.Rel.Replace('/', '-') : Short(m.Rel), StringComparer.Ordinal);
    }

    /// <summary>"${workspaceFolder:module}/sub" for a folder inside a module; the innermost module wins for nested ones.</summary>
    private static string FolderVariable(ModuleGraph graph, IReadOnlyDictionary<string, string> folders, string dir)
    {
        var root = graph.Workspace;
        var owner = graph.Modules
            .Select(m => (m.Module.UsePath, Rel: ModuleDiscovery.Relative(root, m.Module.Directory)))
            .Where(m => m.Rel == "." || dir == m.Rel || dir.StartsWith(m.Rel + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Rel == "." ? 0 : m.Rel.Length)
            .FirstOrDefault();
        if (owner.UsePath is null) return dir == "." ? "${workspaceFolder}" : "${workspaceFolder}/" + dir;
        var rest = owner.Rel == "." ? (dir == "." ? string.Empty : dir) : dir.Length == owner.Rel.Length ? string.Empty : dir[(owner.Rel.Length + 1)..];
        return "${workspaceFolder:" + folders[owner.UsePath] + "}" + (rest.Length == 0 ? string.Empty : "/" + rest);
    }
}
