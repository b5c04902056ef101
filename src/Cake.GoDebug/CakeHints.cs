using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Cake;

/// <summary>Fix hints in the words of this repository's Cake script: <c>./build.sh --target=Delve --dlv-source=goinstall</c>.</summary>
internal sealed class CakeHints : IHintRenderer
{
    public static CakeHints Instance { get; } = new();

    public string Render(FixHint hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var settings = hint.Settings.Select(Argument).ToList();
        var action = hint.Step is { } step
            ? string.Join(' ', settings.Prepend($"./build.sh --target={Target(step)}"))
            : settings.Count > 0 ? "pass " + string.Join(' ', settings) : string.Empty;
        return HintText.WithNote(action, hint.Note);
    }

    /// <summary>The Cake argument for <paramref name="setting"/>, as build/build.cake reads it.</summary>
    public static string ArgumentName(GoSetting setting) => setting switch
    {
        GoSetting.Workspace => "workspace",
        GoSetting.GoVersion => "go-version",
        GoSetting.GoSource => "go-source",
        GoSetting.AptUpdate => "apt-update",
        GoSetting.DelveVersion => "dlv-version",
        GoSetting.DelveSource => "dlv-source",
        GoSetting.DlvListen => "dlv-listen",
        GoSetting.DlvAllowRemote => "dlv-allow-remote",
        GoSetting.Program => "program",
        GoSetting.WorkSyncCheck => "check",
        GoSetting.WatchPolling => "watch-polling",
        GoSetting.WatchExclude => "watch-exclude",
        GoSetting.ProgramEnvironment => "program-env",
        GoSetting.ProfileUrl => "url",
        GoSetting.ProfileSeconds => "seconds",
        GoSetting.ProfileTokenVariable => "token-env",
        GoSetting.ProfileSet => "profiles",
        GoSetting.ProfileTimeout => "timeout",
        GoSetting.MatrixBase => "base",
        GoSetting.MatrixMaxJobs => "max-jobs",
        GoSetting.FailOnCommentError => "fail-on-comment-error",
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, "no Cake argument for this setting"),
    };

    public static string Target(GoStep step) => step switch
    {
        GoStep.Toolchain => "Toolchain",
        GoStep.Delve => "Delve",
        GoStep.WorkspaceSync => "Workspace",
        GoStep.Build => "Build",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "no Cake target for this step"),
    };

    // Cake arguments take choices in lower case (--dlv-source=goinstall); a switch needs no value.
    private static string Argument(SettingValue s)
        => s.Value is null ? "--" + ArgumentName(s.Setting)
            : IsChoice(s.Setting) ? $"--{ArgumentName(s.Setting)}={s.Value.ToLowerInvariant()}"
            : $"--{ArgumentName(s.Setting)}={Quote(s.Value)}";

    private static bool IsChoice(GoSetting setting) => setting is GoSetting.GoSource or GoSetting.DelveSource;

    private static string Quote(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
}
