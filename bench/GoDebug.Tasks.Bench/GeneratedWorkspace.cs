using System.Globalization;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// A go.work workspace of many small modules: each a main package, every tenth importing a shared
/// library module, so a build has both independent targets and a common dependency.
/// </summary>
internal static class GeneratedWorkspace
{
    public const string LibraryPath = "example.com/bench/lib";

    public static string ModulePath(int index) => string.Create(CultureInfo.InvariantCulture, $"example.com/bench/m{index:000}");

    public static string ModuleDirectory(string root, int index) => Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"m{index:000}"));

    public static void Write(string root, int modules)
    {
        Directory.CreateDirectory(root);
        var work = new List<string> { "go 1.21", string.Empty, "use (", "\t./lib" };
        WriteFile(Path.Combine(root, "lib", "go.mod"), $"module {LibraryPath}\n\ngo 1.21\n");
        WriteFile(Path.Combine(root, "lib", "lib.go"), "// Package lib is shared by some of the generated commands.\npackage lib\n\n// Scale multiplies n by a constant.\nfunc Scale(n int) int { return n * 3 }\n");
        for (var i = 0; i < modules; i++)
        {
            var dir = ModuleDirectory(root, i);
            var usesLib = i % 10 == 0;
            WriteFile(Path.Combine(dir, "go.mod"), $"module {ModulePath(i)}\n\ngo 1.21\n" + (usesLib ? $"\nrequire {LibraryPath} v0.0.0\n" : string.Empty));
            var body = usesLib
                ? $"package main\n\nimport (\n\t\"fmt\"\n\n\t\"{LibraryPath}\"\n)\n\nfunc main() {{ fmt.Println(lib.Scale({i})) }}\n"
                : $"package main\n\nimport \"fmt\"\n\nfunc main() {{ fmt.Println({i}) }}\n";
            WriteFile(Path.Combine(dir, "main.go"), body);
            WriteFile(Path.Combine(dir, "util.go"), $"package main\n\n// label names this command.\nfunc label() string {{ return \"m{i}\" }}\n\nvar _ = label\n");
            work.Add(string.Create(CultureInfo.InvariantCulture, $"\t./m{i:000}"));
        }

        work.Add(")");
        WriteFile(Path.Combine(root, "go.work"), string.Join('\n', work) + "\n");
    }

    private static void WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
