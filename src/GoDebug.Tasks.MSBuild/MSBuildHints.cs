using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.MSBuild;

/// <summary>Fix hints in MSBuild words: properties (<c>&lt;GoDelveSource&gt;GoInstall&lt;/GoDelveSource&gt;</c>) and targets.</summary>
internal sealed class MSBuildHints : IHintRenderer
{
    public static MSBuildHints Instance { get; } = new();

    public string Render(FixHint hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var parts = new List<string>();
        if (hint.Settings.Count > 0) parts.Add("set " + string.Join(", ", hint.Settings.Select(Property)));
        if (hint.Step is { } step) parts.Add($"run the {Target(step)} target (dotnet build -t:{Target(step)})");
        return HintText.WithNote(string.Join(" and ", parts), hint.Note);
    }

    /// <summary>The property in GoDebug.Tasks.targets that carries <paramref name="setting"/>.</summary>
    public static string PropertyName(GoSetting setting) => setting switch
    {
        GoSetting.Workspace => "GoWorkspace",
        GoSetting.GoVersion => "GoVersion",
        GoSetting.GoSource => "GoSource",
        GoSetting.AptUpdate => "GoAptUpdate",
        GoSetting.DelveVersion => "GoDelveVersion",
        GoSetting.DelveSource => "GoDelveSource",
        GoSetting.DlvListen => "GoDlvListen",
        GoSetting.DlvAllowRemote => "GoDlvAllowRemote",
        GoSetting.Program => "GoProgram",
        GoSetting.WorkSyncCheck => "GoWorkSyncCheck",
        GoSetting.WatchPolling => "GoWatchPolling",
        GoSetting.WatchExclude => "GoWatchExclude",
        GoSetting.ProgramEnvironment => "GoProgramEnvironment",
        GoSetting.ProfileUrl => "GoProfileUrl",
        GoSetting.ProfileSeconds => "GoProfileSeconds",
        GoSetting.ProfileTokenVariable => "GoProfileTokenVariable",
        GoSetting.ProfileSet => "GoProfiles",
        GoSetting.ProfileTimeout => "GoProfileTimeout",
        GoSetting.MatrixBase => "GoMatrixBase",
        GoSetting.MatrixMaxJobs => "GoMatrixMaxJobs",
        GoSetting.FailOnCommentError => "GoFailOnCommentError",
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, "no MSBuild property for this setting"),
    };

    public static string Target(GoStep step) => step switch
    {
        GoStep.Toolchain => "GoEnsureToolchain",
        GoStep.Delve => "GoEnsureDelve",
        GoStep.WorkspaceSync => "GoWorkSync",
        GoStep.Build => "GoBuild",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "no MSBuild target for this step"),
    };

    private static string Property(SettingValue s)
    {
        var name = PropertyName(s.Setting);
        return $"<{name}>{s.Value ?? "true"}</{name}>";
    }
}
