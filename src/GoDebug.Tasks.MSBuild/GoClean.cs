using GoDebug.Tasks.Hosting;
using GoDebug.Tasks.Building;
using Microsoft.Build.Framework;

namespace GoDebug.Tasks.MSBuild;

/// <summary>Removes the binaries and build state of one configuration. MSBuild front end of the build engine's clean.</summary>
public sealed class GoClean : GoDebugTask
{
    /// <summary>Root of the Go workspace (go.work) or a single module.</summary>
    [Required]
    public string Workspace { get; set; } = string.Empty;

    /// <summary><c>Debug</c> (the default) or <c>Release</c>: whose outputs to remove.</summary>
    public string? Configuration { get; set; }

    /// <summary>The output folder the build used; empty for the default.</summary>
    public string? OutputDirectory { get; set; }

    internal override Task ExecuteAsync(GoDebugHost host, CancellationToken cancellationToken)
    {
        var settings = new GoBuildSettings
        {
            Workspace = Workspace,
            Configuration = TaskInputs.ParseEnum(Configuration, "GoConfiguration", GoBuildConfiguration.Debug),
            OutputDirectory = TaskInputs.NullIfEmpty(OutputDirectory),
        };
        return GoBuilder.CleanAsync(settings, host, cancellationToken);
    }
}
