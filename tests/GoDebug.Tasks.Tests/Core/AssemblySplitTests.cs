using System.Reflection;
using Cake.Core.Annotations;
using GoDebug.Tasks.Building;
using GoDebug.Tasks.Cake;

namespace GoDebug.Tasks.Tests.Core;

/// <summary>
/// The engine and the two front ends are three assemblies because each host loads every type of what it loads:
/// Cake's script runner drops an addin assembly when one type needs MSBuild, and an MSBuild node must not load Cake.
/// </summary>
public sealed class AssemblySplitTests
{
    private static readonly Assembly Engine = typeof(GoBuilder).Assembly;
    private static readonly Assembly CakeAliases = typeof(BuildAliases).Assembly;
    private static readonly Assembly MSBuildTasks = typeof(GoDebug.Tasks.MSBuild.GoBuild).Assembly;

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!);

    [Test]
    public void The_engine_refers_to_neither_host()
    {
        Assert.That(Engine.GetName().Name, Is.EqualTo("GoDebug.Tasks"));
        Assert.That(References(Engine).Where(n => n.StartsWith("Cake", StringComparison.Ordinal) || n.StartsWith("Microsoft.Build", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void The_Cake_addin_refers_to_no_MSBuild_assembly()
    {
        Assert.That(CakeAliases.GetName().Name, Is.EqualTo("Cake.GoDebug"));
        Assert.That(References(CakeAliases), Does.Contain("Cake.Core").And.Contain("GoDebug.Tasks"));
        Assert.That(References(CakeAliases).Where(n => n.StartsWith("Microsoft.Build", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void The_MSBuild_tasks_refer_to_no_Cake_assembly()
    {
        Assert.That(MSBuildTasks.GetName().Name, Is.EqualTo("GoDebug.Tasks.MSBuild"));
        Assert.That(References(MSBuildTasks), Does.Contain("Microsoft.Build.Utilities.Core").And.Contain("GoDebug.Tasks"));
        Assert.That(References(MSBuildTasks).Where(n => n.StartsWith("Cake", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Every_engine_namespace_an_alias_takes_or_returns_is_imported_into_scripts()
    {
        var imported = CakeAliases.GetCustomAttributes<CakeNamespaceImportAttribute>().Select(a => a.Namespace).ToHashSet(StringComparer.Ordinal);
        var aliases = CakeAliases.GetExportedTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<CakeMethodAliasAttribute>() is not null)
            .ToList();
        Assert.That(aliases, Has.Count.GreaterThan(10), "the aliases were found");

        // What a script spells: the parameter and return types, and the types of the settings' own properties.
        var named = aliases.SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .SelectMany(t => t.GetProperties().Select(p => p.PropertyType).Append(t))
            .Select(t => Nullable.GetUnderlyingType(t) ?? t)
            .Where(t => t.Assembly == Engine)
            .ToList();
        var missing = named.Where(t => !imported.Contains(t.Namespace!)).Select(t => $"{t.FullName}").Distinct().ToList();
        Assert.That(named, Is.Not.Empty);
        Assert.That(missing, Is.Empty, "add [assembly: CakeNamespaceImport(...)] for these");
    }
}
