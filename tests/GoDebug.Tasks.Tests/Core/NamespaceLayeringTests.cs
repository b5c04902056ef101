using System.Text.RegularExpressions;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

/// <summary>Capability folders form layers: no two namespaces may use each other, directly or around a loop.</summary>
public sealed partial class NamespaceLayeringTests
{
    [Test]
    public void Engine_namespaces_have_no_cycle()
    {
        var source = RepoPaths.Engine;
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            var code = string.Join('\n', File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            var own = NamespaceDeclaration().Match(code);
            if (!own.Success) continue;
            var from = own.Groups[1].Value;
            var targets = edges.TryGetValue(from, out var set) ? set : edges[from] = [];
            foreach (Match use in Reference().Matches(code))
            {
                if (use.Groups[1].Value != from) targets.Add(use.Groups[1].Value);
            }
        }

        Assert.That(edges.Keys, Does.Contain("Toolchain").And.Contain("Workspace"), "the sources were read");
        var cycles = new List<string>();
        foreach (var start in edges.Keys)
        {
            var path = new Stack<string>();
            Visit(start, start, edges, path, new HashSet<string>(), cycles);
        }

        Assert.That(cycles.Distinct(), Is.Empty);
    }

    private static void Visit(string start, string node, Dictionary<string, HashSet<string>> edges, Stack<string> path, HashSet<string> seen, List<string> cycles)
    {
        path.Push(node);
        foreach (var next in edges.GetValueOrDefault(node) ?? [])
        {
            if (next == start) cycles.Add(string.Join(" -> ", path.Reverse().Append(start)));
            else if (seen.Add(next)) Visit(start, next, edges, path, seen, cycles);
        }

        path.Pop();
    }

    [GeneratedRegex(@"^namespace GoDebug\.Tasks\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\bGoDebug\.Tasks\.(\w+)")]
    private static partial Regex Reference();
}
