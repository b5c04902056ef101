using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Doctor;

/// <summary>A GOTOOLCHAIN value and where it was set.</summary>
/// <param name="Value">As written, e.g. <c>auto</c>, <c>go1.22.3+auto</c>.</param>
/// <param name="Origin">"the environment", or the env file that set it.</param>
internal sealed record ToolchainSetting(string Value, string Origin);

/// <summary>
/// Decides whether go (1.21+) would fetch another toolchain, following https://go.dev/doc/toolchain:
/// <c>local</c> never switches; <c>&lt;name&gt;</c> always runs that toolchain; <c>auto</c> and
/// <c>&lt;name&gt;+auto</c> start from local/&lt;name&gt; and switch up to what go.work/go.mod asks for;
/// a toolchain that is not the local one is taken from PATH, else downloaded, except in the <c>+path</c> modes.
/// </summary>
internal static class ToolchainSwitch
{
    /// <summary>GOTOOLCHAIN as go resolves it: the environment, else the go env file, else $GOROOT/go.env.</summary>
    public static ToolchainSetting? Resolve(string? fromEnvironment, string? goEnvFile, string? goRoot)
    {
        if (fromEnvironment is not null) return new ToolchainSetting(fromEnvironment, "the environment");
        foreach (var file in new[] { goEnvFile, goRoot is null ? null : Path.Combine(goRoot, "go.env") })
        {
            if (file is null || !File.Exists(file)) continue;
            var value = ReadEnvFile(file, "GOTOOLCHAIN");
            if (value is not null) return new ToolchainSetting(value, file);
        }

        return null;
    }

    /// <summary>The toolchain go would download, or null when it would run local or one found on PATH.</summary>
    public static string? WouldDownload(string value, GoVersion local, GoRequirement? required, Func<string, bool> isOnPath)
    {
        if (value is "local" or "path" || value.EndsWith("+path", StringComparison.Ordinal)) return null;
        var localName = local.ToGoString();
        string target;
        if (value == "auto" || value.EndsWith("+auto", StringComparison.Ordinal))
        {
            var baseName = value == "auto" ? localName : value[..^"+auto".Length];
            var baseVersion = GoVersion.TryParse(baseName) ?? local;
            target = required is not null && required.Minimum > baseVersion ? required.Minimum.ToGoString() : baseName;
        }
        else
        {
            target = value;
        }

        return target == localName || isOnPath(target) ? null : target;
    }

    private static string? ReadEnvFile(string path, string name)
    {
        string? value = null;
        foreach (var line in File.ReadLines(path))
        {
            var text = line.Trim();
            if (text.StartsWith(name + "=", StringComparison.Ordinal)) value = text[(name.Length + 1)..].Trim();
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }
}
