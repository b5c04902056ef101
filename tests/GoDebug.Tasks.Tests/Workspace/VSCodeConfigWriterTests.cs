using System.Text.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

public class VSCodeConfigWriterTests
{
    private const string UserLaunchJson = """
        {
          // Written by hand; must survive.
          "version": "0.2.0",
          "configurations": [
            {
              "name": "My server", /* the one I use daily */
              "type": "go",
              "request": "launch",
              "program": "${workspaceFolder}/app",
              "args": ["-addr", ":9000",],
            },
            {
              "name": "Go: Launch removed/by/now",
              "type": "go",
              "request": "launch",
              "program": "${workspaceFolder}/gone",
            },
          ],
          "compounds": [ { "name": "Both", "configurations": ["My server"] }, ],
        }
        """;

    private static async Task<GoVSCodeResult> WriteAsync(TempDir dir, GoVSCodeSettings? settings = null)
        => await VSCodeConfigWriter.WriteAsync((settings ?? new GoVSCodeSettings()) with { Workspace = dir.Path }, await RealTools.GoAsync(), new RecordingLog(), CancellationToken.None);

    private static JsonObject Config(JsonNode file, string name)
        => file["configurations"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["name"] == name);

    [Test]
    public async Task Launch_json_has_a_debug_launch_per_main_package_a_test_per_module_and_an_attach()
    {
        using var dir = await ModuleGraphTests.SyncedTreeAsync();

        var result = await WriteAsync(dir, new GoVSCodeSettings { Environment = new Dictionary<string, string> { ["APP_ADDR"] = "127.0.0.1:8080" } });

        var launch = JsonNode.Parse(File.ReadAllText(result.LaunchJsonPath))!;
        Assert.That(result.Configurations, Is.EqualTo(new[]
        {
            "Go: Launch app", "Go: Launch app/cmd/tool",
            "Go: Test app", "Go: Test cyc/c", "Go: Test cyc/d", "Go: Test lib", "Go: Test mid",
            "Go: Attach to headless dlv",
        }));
        var app = Config(launch, "Go: Launch app");
        Assert.That(
            ((string?)app["type"], (string?)app["request"], (string?)app["mode"], (string?)app["program"], (string?)app["cwd"], (string?)app["buildFlags"], (string?)app["env"]!["APP_ADDR"]),
            Is.EqualTo(("go", "launch", "debug", "${workspaceFolder}/app", "${workspaceFolder}/app", "-gcflags=all=-N -l", "127.0.0.1:8080")));
        var test = Config(launch, "Go: Test mid");
        Assert.That(((string?)test["mode"], (string?)test["program"]), Is.EqualTo(("test", "${workspaceFolder}/mid")));
        var attach = Config(launch, "Go: Attach to headless dlv");
        Assert.That(((string?)attach["request"], (string?)attach["mode"], (string?)attach["host"], (int?)attach["port"], attach["substitutePath"]), Is.EqualTo(("attach", "remote", "127.0.0.1", 2345, (JsonNode?)null)));
        Assert.That((string?)attach["debugAdapter"], Is.EqualTo("dlv-dap"), "the DAP adapter, which follows our reloads; the legacy one speaks JSON-RPC");
    }

    [Test]
    public async Task Remote_attach_maps_paths_only_when_the_remote_root_differs()
    {
        using var dir = await ModuleGraphTests.SyncedTreeAsync();

        var result = await WriteAsync(dir, new GoVSCodeSettings { DlvPort = 40000, RemoteWorkspace = "/src/app" });

        var attach = Config(JsonNode.Parse(File.ReadAllText(result.LaunchJsonPath))!, "Go: Attach to headless dlv");
        Assert.That((int?)attach["port"], Is.EqualTo(40000));
        Assert.That(attach["substitutePath"]!.ToJsonString(), Is.EqualTo("""[{"from":"${workspaceFolder}","to":"/src/app"}]"""));

        await WriteAsync(dir, new GoVSCodeSettings { RemoteWorkspace = dir.Path });
        attach = Config(JsonNode.Parse(File.ReadAllText(result.LaunchJsonPath))!, "Go: Attach to headless dlv");
        Assert.That(attach["substitutePath"], Is.Null);
    }

    [Test]
    public async Task Merging_into_a_commented_user_file_keeps_every_user_configuration_and_replaces_ours()
    {
        using var dir = await ModuleGraphTests.SyncedTreeAsync();
        var path = dir.Write(".vscode/launch.json", UserLaunchJson);
        var userFile = JsonNode.Parse(UserLaunchJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;

        await WriteAsync(dir);

        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("// Written by hand; must survive.").And.Contain("\"name\": \"My server\", /* the one I use daily */"), "the user's comments stay");
        var merged = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var names = merged["configurations"]!.AsArray().Select(c => (string?)c!["name"]).ToList();
        Assert.That(names[0], Is.EqualTo("My server"));
        Assert.That(names, Does.Not.Contain("Go: Launch removed/by/now"));
        Assert.That(names, Does.Contain("Go: Launch app").And.Contain("Go: Attach to headless dlv"));
        Assert.That(JsonNode.DeepEquals(Config(merged, "My server"), Config(userFile, "My server")), Is.True);
        Assert.That(JsonNode.DeepEquals(merged["compounds"], userFile["compounds"]), Is.True);
        Assert.That((string?)merged["version"], Is.EqualTo("0.2.0"));
    }

    [Test]
    public async Task Unparsable_launch_json_is_left_byte_identical_and_the_error_names_the_line()
    {
        using var dir = await ModuleGraphTests.SyncedTreeAsync();
        var bytes = "{\n  \"configurations\": [\n    { \"name\": \"mine\" \"type\": \"go\" }\n  ]\n}\n"u8.ToArray();
        var path = dir.Combine(".vscode", "launch.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.ThrowsAsync<GoDebugException>(() => WriteAsync(dir));

        Assert.That(ex!.Message, Does.StartWith($"{path}:3:").And.Contain("left unchanged"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        Assert.That(Directory.GetFiles(dir.Path, "*.code-workspace"), Is.Empty, "nothing else may be written either");
    }

    [Test]
    public async Task Code_workspace_has_a_folder_per_module_and_launches_through_workspace_folder_names()
    {
        using var dir = await ModuleGraphTests.SyncedTreeAsync();

        var result = await WriteAsync(dir, new GoVSCodeSettings { CodeWorkspaceName = "mono" });

        Assert.That(result.CodeWorkspacePath, Is.EqualTo(dir.Combine("mono.code-workspace")));
        var ws = JsonNode.Parse(File.ReadAllText(result.CodeWorkspacePath!))!;
        Assert.That(ws["folders"]!.AsArray().Select(f => ((string?)f!["name"], (string?)f["path"])), Is.EqualTo(new[]
        {
            ("app", "app"), ("c", "cyc/c"), ("d", "cyc/d"), ("lib", "lib"), ("mid", "mid"),
        }));
        var launch = ws["launch"]!;
        Assert.That((string?)Config(launch, "Go: Launch app/cmd/tool")["program"], Is.EqualTo("${workspaceFolder:app}/cmd/tool"));
        Assert.That((string?)Config(launch, "Go: Test mid")["program"], Is.EqualTo("${workspaceFolder:mid}"));
    }

    [Test]
    public async Task Second_run_changes_nothing()
    {
        using var dir = await ModuleGraphTests.SyncedTreeAsync();
        dir.Write(".vscode/launch.json", UserLaunchJson);
        await WriteAsync(dir);
        var before = File.ReadAllText(dir.Combine(".vscode", "launch.json"));

        var second = await WriteAsync(dir);

        Assert.That(second.Changed, Is.False);
        Assert.That(File.ReadAllText(dir.Combine(".vscode", "launch.json")), Is.EqualTo(before));
    }
}
