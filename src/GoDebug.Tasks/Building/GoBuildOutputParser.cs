using System.Globalization;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Building;

/// <summary>
/// Turns go build's stderr into diagnostics with absolute paths. go prints <c># import/path</c> before
/// a package's errors and positions relative to its working directory (<c>app/main.go:3:2: ...</c>, or
/// <c>./main.go</c> when run inside the package); tab-indented lines continue the previous message.
/// </summary>
internal static partial class GoBuildOutputParser
{
    /// <summary>Diagnostics, each with the package header it followed (null before any header).</summary>
    public static IReadOnlyList<(string? Package, GoDiagnostic Diagnostic)> Parse(string output, string workingDirectory, IReadOnlyDictionary<string, string> packageDirectories)
    {
        var found = new List<(string? Package, GoDiagnostic Diagnostic)>();
        string? package = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                package = line[2..].Trim();
                continue;
            }

            if (line.StartsWith('\t') && found.Count > 0)
            {
                var (p, last) = found[^1];
                found[^1] = (p, last with { Message = last.Message + " " + line.Trim() });
                continue;
            }

            var m = Located().Match(line);
            if (!m.Success) continue;
            var packageDirectory = package is not null && packageDirectories.TryGetValue(package, out var dir) ? dir : null;
            var file = Resolve(m.Groups["file"].Value, workingDirectory, packageDirectory);
            var column = m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value, CultureInfo.InvariantCulture) : 0;
            found.Add((package, new GoDiagnostic(GoDiagnosticSeverity.Error, string.Empty, m.Groups["msg"].Value.Trim(), file, int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture), column)));
        }

        return found;
    }

    /// <summary>Relative paths are tried against go's working directory, then the package directory of the header.</summary>
    private static string Resolve(string path, string workingDirectory, string? packageDirectory)
    {
        if (Path.IsPathFullyQualified(path)) return Path.GetFullPath(path);
        var fromWorkingDirectory = Path.GetFullPath(Path.Combine(workingDirectory, path));
        if (File.Exists(fromWorkingDirectory) || packageDirectory is null) return fromWorkingDirectory;
        var fromPackage = Path.GetFullPath(Path.Combine(packageDirectory, path));
        return File.Exists(fromPackage) ? fromPackage : fromWorkingDirectory;
    }

    // A drive letter may precede the path on Windows; the file part ends before ":line".
    [GeneratedRegex(@"^(?<file>(?:[A-Za-z]:)?[^:\s][^:]*):(?<line>\d+)(?::(?<col>\d+))?: (?<msg>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Located();
}
