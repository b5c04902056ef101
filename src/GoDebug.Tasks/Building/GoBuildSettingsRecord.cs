using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Building;

/// <summary>
/// Everything apart from file contents that decides what <see cref="GoBuilder"/> builds, as text, for a host
/// that can only skip a whole build by comparing file times: it keeps this record in a file and treats the
/// file as an input. The record is the builder's own configuration key (Go version, flags, output folder and
/// every environment variable the fingerprint reads) plus the choice of targets, so the host skips exactly
/// when the builder would find every target up to date.
/// </summary>
internal static class GoBuildSettingsRecord
{
    /// <summary>The record's lines for <paramref name="settings"/> built with <paramref name="go"/>.</summary>
    public static IReadOnlyList<string> Lines(GoBuildSettings settings, GoTool go, EnvironmentSnapshot environment)
    {
        ArgumentNullException.ThrowIfNull(go);
        var options = GoBuildOptions.From(settings);
        return
        [
            "workspace=" + options.Workspace,
            "targets=" + string.Join('\u001f', settings.Targets),
            "check-libraries=" + settings.CheckLibraries,
            "go-executable=" + go.Executable,
            .. options.ConfigurationKey(go.Version, go.Environment, environment),
        ];
    }

    /// <summary>
    /// Writes the record to <paramref name="path"/> (atomically) only when it differs, so the file's time is
    /// when the settings last changed. Returns true when it wrote.
    /// </summary>
    public static bool Write(string path, GoBuildSettings settings, GoTool go, EnvironmentSnapshot environment)
        => AtomicFile.WriteTextIfChanged(path, string.Join('\n', Lines(settings, go, environment)) + "\n");
}
