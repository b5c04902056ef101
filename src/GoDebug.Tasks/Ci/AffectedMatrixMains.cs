using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Processes;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// The main packages of the affected modules only, from <c>go list</c> (so build constraints count). One
/// call over all of them in workspace mode when there is a go.work; otherwise one per module with the
/// workspace off. The network is off too: planning must never wait on a module download, and <c>-e</c>
/// still names a package whose imports cannot be resolved.
/// </summary>
internal static class AffectedMatrixMains
{
    private const string Format = "{{if eq .Name \"main\"}}{{with .Module}}{{.Path}}{{end}}|{{.ImportPath}}{{end}}";

    public static async Task<Dictionary<string, IReadOnlyList<string>>> ListAsync(GoTool go, GoDebugHost host, string workspace, IReadOnlyList<(string Path, string Directory)> modules, CancellationToken cancellationToken)
    {
        var found = modules.ToDictionary(m => m.Path, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var offline = new Dictionary<string, string?> { ["GOPROXY"] = "off" };
        if (File.Exists(Path.Combine(workspace, "go.work")))
        {
            foreach (var batch in modules.Select(m => Path.Combine(m.Directory, "...")).Chunk(400))
            {
                await RunAsync(go, host, workspace, offline, batch, found, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            var standalone = new Dictionary<string, string?>(offline) { ["GOWORK"] = "off" };
            foreach (var m in modules) await RunAsync(go, host, m.Directory, standalone, ["./..."], found, cancellationToken).ConfigureAwait(false);
        }

        return found.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.ToList(), StringComparer.Ordinal);
    }

    private static async Task RunAsync(GoTool go, GoDebugHost host, string directory, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> patterns, Dictionary<string, SortedSet<string>> found, CancellationToken cancellationToken)
    {
        var r = await host.Processes.RunAsync(go.Command(["list", "-e", "-f", Format, .. patterns], directory, environment), cancellationToken).ConfigureAwait(false);
        if (!r.Succeeded) host.Log.Warning($"'go list' in {directory} failed (exit {r.ExitCode}); main packages may be missing from the matrix: {r.StandardError.Trim()}");
        foreach (var fields in r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split('|', 2)))
        {
            if (fields.Length == 2 && found.TryGetValue(fields[0], out var set)) set.Add(fields[1]);
        }
    }
}
