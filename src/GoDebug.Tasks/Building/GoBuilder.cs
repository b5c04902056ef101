using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Building;

/// <summary>Incremental per-target Go builds.</summary>
internal static class GoBuilder
{
    public static async Task<GoBuildResult> BuildAsync(GoBuildSettings settings, GoTool go, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(settings.Workspace);
        var output = OutputDirectory(settings);
        Directory.CreateDirectory(output);
        var modules = (await go.RunAsync(["list", "-m", "-f", "{{.Dir}}"], root, cancellationToken).ConfigureAwait(false)).EnsureSuccess()
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var results = new List<GoBuildTargetResult>();
        var diagnostics = new List<GoDiagnostic>();
        foreach (var module in modules)
        {
            var list = (await go.RunAsync(["list", "-e", "-f", "{{if eq .Name \"main\"}}{{.ImportPath}}|{{.Dir}}{{end}}", "./..."], module, cancellationToken).ConfigureAwait(false)).StandardOutput;
            foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split('|');
                var bin = Path.Combine(output, parts[0].Split('/')[^1]);
                var newest = Directory.EnumerateFiles(parts[1], "*.go").Max(File.GetLastWriteTimeUtc);
                if (File.Exists(bin) && File.GetLastWriteTimeUtc(bin) > newest)
                {
                    results.Add(new GoBuildTargetResult(parts[0], module, bin, true, true));
                    continue;
                }

                var r = await go.RunAsync(["build", "-gcflags=all=-N -l", "-o", bin, parts[0]], module, cancellationToken).ConfigureAwait(false);
                foreach (Match m in Regex.Matches(r.StandardError, @"^(.+?\.go):(\d+):(\d+): (.*)$", RegexOptions.Multiline))
                {
                    var d = new GoDiagnostic(GoDiagnosticSeverity.Error, string.Empty, m.Groups[4].Value, Path.GetFullPath(m.Groups[1].Value, module), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
                    diagnostics.Add(d);
                    log.Diagnostic(d);
                }

                results.Add(new GoBuildTargetResult(parts[0], module, bin, false, r.Succeeded));
                log.Info($"TEMP built {parts[0]}: {r.Succeeded}");
            }
        }

        return new GoBuildResult(results, diagnostics);
    }

    /// <summary>Removes the outputs and state of <paramref name="settings"/>'s configuration.</summary>
    public static Task CleanAsync(GoBuildSettings settings, IGoDebugLog log, CancellationToken cancellationToken)
    {
        var output = OutputDirectory(settings);
        if (Directory.Exists(output)) Directory.Delete(output, true);
        return Task.CompletedTask;
    }

    private static string OutputDirectory(GoBuildSettings settings)
        => Path.GetFullPath(settings.OutputDirectory ?? Path.Combine(settings.Workspace, ".godebug", "bin", settings.Configuration.ToString()));
}
