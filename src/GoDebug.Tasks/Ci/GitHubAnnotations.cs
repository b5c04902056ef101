using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=…,line=…,col=…::message</c>) for diagnostics, with
/// paths relative to the checkout as GitHub expects. <see cref="GitHubActionsLog"/> writes them.
/// </summary>
internal static class GitHubAnnotations
{
    /// <summary>The workflow command for <paramref name="diagnostic"/>; paths become relative to the checkout, as GitHub expects.</summary>
    public static string Format(GoDiagnostic diagnostic, string? workspace)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var command = diagnostic.Severity switch
        {
            GoDiagnosticSeverity.Error => "error",
            GoDiagnosticSeverity.Warning => "warning",
            _ => "notice",
        };
        var properties = new List<string>();
        if (diagnostic.File is { } file)
        {
            properties.Add("file=" + EscapeProperty(RepositoryPath(file, workspace)));
            if (diagnostic.Line > 0) properties.Add("line=" + diagnostic.Line);
            if (diagnostic.Column > 0) properties.Add("col=" + diagnostic.Column);
        }

        if (diagnostic.Code.Length > 0) properties.Add("title=" + EscapeProperty(diagnostic.Code));
        var head = properties.Count == 0 ? "::" + command : $"::{command} {string.Join(',', properties)}";
        return $"{head}::{EscapeData(diagnostic.Message)}";
    }

    /// <summary><paramref name="file"/> relative to the checkout with forward slashes, or as it is when it lies outside.</summary>
    public static string RepositoryPath(string file, string? workspace)
        // A trailing separator on the checkout path ("/repo/") must not make every file look outside it.
        => workspace is not null && Path.GetFullPath(file).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace)) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Path.GetRelativePath(workspace, file).Replace('\\', '/')
            : file;

    // The escapes the Actions runner's command parser undoes.
    private static string EscapeData(string value)
        => value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string EscapeProperty(string value)
        => EscapeData(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
