using System.Globalization;

namespace GoDebug.Tasks.Bench;

/// <summary>
/// Writes a monorepo-shaped tree of Go modules: <c>groupGG/modNNNN</c>, each with a package and a
/// require of its predecessor, and every tenth with a <c>testdata/</c> fixture module that a
/// workspace must not use.
/// </summary>
internal static class WorkspaceTreeGenerator
{
    public static int Generate(string root, int modules)
    {
        var bogus = 0;
        for (var i = 0; i < modules; i++)
        {
            var rel = Rel(i);
            var dir = Path.Combine(root, rel);
            Directory.CreateDirectory(dir);
            var requires = i == 0 ? string.Empty : $"\nrequire example.com/{Rel(i - 1)} v0.0.0\n";
            File.WriteAllText(Path.Combine(dir, "go.mod"), $"module example.com/{rel}\n\ngo 1.{20 + (i % 3)}\n{requires}");
            File.WriteAllText(Path.Combine(dir, "lib.go"), string.Create(CultureInfo.InvariantCulture, $"package mod{i:D4}\n\nfunc N() int {{ return {i} }}\n"));
            if (i % 10 == 0)
            {
                var fixture = Path.Combine(dir, "testdata", "fixture");
                Directory.CreateDirectory(fixture);
                File.WriteAllText(Path.Combine(fixture, "go.mod"), $"module example.com/fixture{i}\n\ngo 1.21\n");
                bogus++;
            }
        }

        return bogus;
    }

    private static string Rel(int i) => string.Create(CultureInfo.InvariantCulture, $"group{i / 100:D2}/mod{i:D4}");
}
