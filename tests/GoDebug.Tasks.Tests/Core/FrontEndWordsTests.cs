using System.Text.RegularExpressions;
using System.Xml.Linq;
using GoDebug.Tasks.Cake;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.MSBuild;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

/// <summary>
/// Engines speak the domain; the two front ends speak their users' words. These read the real sources, the real
/// build.cake and the real .targets, so a flag renamed in one place and not the other fails here.
/// </summary>
public sealed partial class FrontEndWordsTests
{
    private static readonly string Source = RepoPaths.Engine;
    private static readonly string[] OutputFolders = ["bin", "obj"];

    private static IEnumerable<(string File, int Line, string Text)> EngineLines()
    {
        foreach (var file in Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories))
        {
            var top = Path.GetRelativePath(Source, file).Split(Path.DirectorySeparatorChar)[0];
            if (OutputFolders.Contains(top)) continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++) yield return (Path.GetRelativePath(Source, file), i + 1, lines[i]);
        }
    }

    private static IReadOnlyList<string> CakeArguments()
        => CakeArgument().Matches(File.ReadAllText(RepoPaths.CakeTasks)).Select(m => m.Groups[1].Value).Distinct().ToList();

    private static IReadOnlyList<string> MSBuildProperties()
    {
        var targets = XDocument.Load(RepoPaths.MSBuildTargets);
        var used = targets.Descendants().Attributes().SelectMany(a => MSBuildProperty().Matches(a.Value)).Select(m => m.Groups[1].Value);
        var set = targets.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup").Select(e => e.Name.LocalName);
        return used.Concat(set).Where(p => !p.StartsWith('_')).Distinct().ToList();
    }

    [Test]
    public void Engine_folders_name_no_build_script_target_or_Cake_flag()
    {
        var flags = CakeArguments().Select(Regex.Escape);
        var pattern = new Regex(@"\./build\.(sh|ps1)|--target\b|--(" + string.Join('|', flags) + @")(?![\w-])");
        var found = EngineLines().Where(l => pattern.IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();
        Assert.That(found, Is.Empty, "engine code must use FixHint instead of front-end words");
    }

    [Test]
    public void Engine_folders_name_no_MSBuild_property()
    {
        // Property names such as GoVersion are also C# type names; in MSBuild's own spellings they are unambiguous.
        var properties = MSBuildProperties();
        var pattern = new Regex(@"\$\((" + string.Join('|', properties) + @")\)|<(" + string.Join('|', properties) + @")>[^<]*</|\b(" + string.Join('|', properties) + @")=");
        var found = EngineLines().Where(l => pattern.IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();
        Assert.That(properties, Does.Contain("GoWorkspace"), "the targets file was read");
        Assert.That(found, Is.Empty);
    }

    [Test]
    public void Every_setting_is_a_real_Cake_argument([Values] GoSetting setting)
        => Assert.That(CakeArguments(), Does.Contain(CakeHints.ArgumentName(setting)), "the targets file users get (build/godebug.cake) reads no such argument");

    [Test]
    public void Every_step_is_a_real_Cake_target([Values] GoStep step)
        => Assert.That(File.ReadAllText(RepoPaths.CakeTasks), Does.Contain($"Task(\"{CakeHints.Target(step)}\")"));

    [Test]
    public void Every_step_is_a_real_MSBuild_target([Values] GoStep step)
    {
        var targets = XDocument.Load(RepoPaths.MSBuildTargets);
        Assert.That(targets.Descendants().Where(e => e.Name.LocalName == "Target").Select(e => (string?)e.Attribute("Name")), Does.Contain(MSBuildHints.Target(step)));
    }

    [Test]
    public void Every_setting_an_MSBuild_build_can_raise_is_a_real_property([Values] GoSetting setting)
    {
        // Debug sessions and the watcher run only from Cake; MSBuild starts neither, so their settings have no property to name.
        if (setting is GoSetting.DlvListen or GoSetting.DlvAllowRemote or GoSetting.Program or GoSetting.WatchPolling or GoSetting.WatchExclude
            or GoSetting.ProgramEnvironment)
        {
            Assert.That(() => MSBuildHints.PropertyName(setting), Throws.Nothing);
            return;
        }

        Assert.That(MSBuildProperties(), Does.Contain(MSBuildHints.PropertyName(setting)));
    }

    [Test]
    public void The_same_hint_reads_in_each_front_ends_words()
    {
        var hint = FixHint.Run(GoStep.Delve, new SettingValue(GoSetting.DelveSource, "GoInstall")).Or("go install github.com/go-delve/delve/cmd/dlv@latest");

        Assert.That(CakeHints.Instance.Render(hint), Is.EqualTo("./build.sh --target=Delve --dlv-source=goinstall; or: go install github.com/go-delve/delve/cmd/dlv@latest"));
        Assert.That(MSBuildHints.Instance.Render(hint), Is.EqualTo("set <GoDelveSource>GoInstall</GoDelveSource> and run the GoEnsureDelve target (dotnet build -t:GoEnsureDelve); or: go install github.com/go-delve/delve/cmd/dlv@latest"));
        Assert.That(MSBuildHints.Instance.Render(hint), Does.Not.Contain("--"));
        Assert.That(CakeHints.Instance.Render(hint), Does.Not.Contain("<Go"));
    }

    [Test]
    public void Switches_values_with_spaces_and_plain_notes_render_as_each_front_end_expects()
    {
        Assert.That(CakeHints.Instance.Render(FixHint.Set(GoSetting.AptUpdate)), Is.EqualTo("pass --apt-update"));
        Assert.That(MSBuildHints.Instance.Render(FixHint.Set(GoSetting.AptUpdate)), Is.EqualTo("set <GoAptUpdate>true</GoAptUpdate>"));
        Assert.That(CakeHints.Instance.Render(FixHint.Set(GoSetting.Workspace, "/src/my go")), Is.EqualTo("pass --workspace=\"/src/my go\""));
        Assert.That(CakeHints.Instance.Render(FixHint.Text("apt-get update")), Is.EqualTo("apt-get update"));
        Assert.That(MSBuildHints.Instance.Render(FixHint.Text("apt-get update")), Is.EqualTo("apt-get update"));
    }

    [Test]
    public void An_engine_error_carries_its_hint_to_the_front_end()
    {
        var error = new GoDebugException("Port 2345 on 127.0.0.1 is already in use.", FixHint.Set(GoSetting.DlvListen, "127.0.0.1:PORT"));
        Assert.That(error.Describe(CakeHints.Instance), Is.EqualTo("Port 2345 on 127.0.0.1 is already in use. Fix: pass --dlv-listen=127.0.0.1:PORT."));
        Assert.That(new GoDebugException("plain").Describe(CakeHints.Instance), Is.EqualTo("plain"));
    }

    [GeneratedRegex(@"(?:Has)?Arguments?(?:<[^>]+>)?\(\s*""([a-z][a-z0-9-]*)""")]
    private static partial Regex CakeArgument();

    [GeneratedRegex(@"\$\((Go[A-Za-z]+)\)")]
    private static partial Regex MSBuildProperty();
}
