using System.Collections;

namespace GoDebug.Tasks.Hosting;

/// <summary>
/// This process's environment variables and working folder, read once when a front end starts an
/// engine, so every check and every child process of one step sees the same values and a test can
/// hand an engine the environment it is about (as dotnet-watch's EnvironmentOptions does).
/// </summary>
internal sealed class EnvironmentSnapshot
{
    private readonly IReadOnlyDictionary<string, string> _variables;

    public EnvironmentSnapshot(IReadOnlyDictionary<string, string> variables, string workingDirectory)
    {
        // Variable names are case-insensitive on Windows only; keep the platform's rule.
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        _variables = new Dictionary<string, string>(variables, comparer);
        WorkingDirectory = workingDirectory;
    }

    public string WorkingDirectory { get; }

    public IReadOnlyDictionary<string, string> Variables => _variables;

    /// <summary>The value of <paramref name="name"/>; an empty value counts as unset, as the go command treats it.</summary>
    public string? Get(string name) => _variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>True when running inside a GitHub Actions job.</summary>
    public bool IsGitHubActions => string.Equals(Get("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A copy with <paramref name="name"/> set, or removed when <paramref name="value"/> is null.</summary>
    public EnvironmentSnapshot With(string name, string? value)
    {
        var copy = new Dictionary<string, string>(_variables);
        if (value is null) copy.Remove(name);
        else copy[name] = value;
        return new EnvironmentSnapshot(copy, WorkingDirectory);
    }

    public static EnvironmentSnapshot Capture()
    {
        var variables = new Dictionary<string, string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return new EnvironmentSnapshot(variables, Environment.CurrentDirectory);
    }
}
