using GoDebug.Tasks.Building;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Building;

/// <summary>
/// A scratch copy of samples/workspace plus a fourth module, <c>hello</c>: a tiny main that calls
/// module-a's inlinable <c>greet.Hello</c> and does not depend on module-b or app, so it is both a cheap
/// build target and "another module" whose changes must not touch app's fingerprint.
/// </summary>
internal sealed class HelloSample : IDisposable
{
    public const string HelloMain = "package main\n\nimport (\n\t\"fmt\"\n\n\tgreet \"example.com/sample/module-a\"\n)\n\nfunc main() {\n\tfmt.Println(greet.Hello(\"  bob  \"))\n}\n";

    /// <summary><see cref="HelloMain"/> without the closing parenthesis on line 10.</summary>
    public static readonly string BrokenHelloMain = HelloMain.Replace("\"  bob  \"))", "\"  bob  \")", StringComparison.Ordinal);

    private readonly TempDir _dir = new("build");

    public HelloSample()
    {
        Infrastructure.SampleCopy.Workspace(_dir.Path);
        _dir.Write("hello/go.mod", "module example.com/sample/hello\n\ngo 1.19\n\nrequire example.com/sample/module-a v0.0.0\n");
        _dir.Write("hello/main.go", HelloMain);
        var work = File.ReadAllText(Combine("go.work"));
        File.WriteAllText(Combine("go.work"), work.Replace("use (\n", "use (\n\t./hello\n", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(Combine("go.work")), Does.Contain("./hello"), "go.work of the sample changed shape");
    }

    public string Root => _dir.Path;

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public string Write(string relative, string content) => _dir.Write(relative, content);

    public GoBuildSettings Settings(params string[] targets) => new() { Workspace = Root, Targets = targets };

    public async Task<GoBuildResult> BuildAsync(GoBuildSettings settings, RecordingLog? log = null)
        => await GoBuilder.BuildAsync(settings, await RealTools.GoAsync(), log ?? new RecordingLog(), CancellationToken.None);

    /// <summary>Go reports the missing parenthesis at the newline right after line 10's text.</summary>
    public static int BrokenColumn => BrokenHelloMain.Split('\n')[9].Length + 1;

    /// <summary>Builds one target, asserts it succeeded and returns its binary.</summary>
    public async Task<string> BuildOneAsync(GoBuildSettings settings)
    {
        var result = await BuildAsync(settings);
        Assert.That(result.Succeeded, Is.True, string.Join("\n", result.Diagnostics));
        return result.Targets.Single().OutputPath;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>A fresh <see cref="HelloSample"/> per test, so tests that edit sources never see each other's edits.</summary>
public abstract class SampleCopyFixture
{
    protected const string App = "example.com/sample/app";
    protected const string Hello = "example.com/sample/hello";

    private HelloSample? _sample;

    internal HelloSample Sample => _sample ?? throw new InvalidOperationException("SetUp has not run");

    [SetUp]
    public void CreateSample() => _sample = new HelloSample();

    [TearDown]
    public void DeleteSample() => _sample?.Dispose();
}
