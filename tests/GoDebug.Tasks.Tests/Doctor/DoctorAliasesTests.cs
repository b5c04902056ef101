using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Path = System.IO.Path;
using Cake.Core.Tooling;
using GoDebug.Tasks.Cake;
using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Doctor;

public class DoctorAliasesTests
{
    [Test]
    public async Task Strict_throws_a_CakeException_naming_the_error_codes()
    {
        using var fx = new DoctorFixture();
        fx.Write("ws/go.work", "go 1.99\n\nuse (\n\t./lib\n\t./app\n)\n");
        var context = new LogOnlyCakeContext();
        var go = await ToolchainAsync();
        var settings = fx.Settings with { Strict = true };
        var ex = Assert.Throws<CakeException>(() => context.GoDoctor(settings, go));
        Assert.That(ex!.Message, Does.Contain("GODR002"));
        Assert.That(context.Log.Messages, Has.Some.Contains("GODR002"));
    }

    [Test]
    public async Task Not_strict_returns_the_report_with_its_errors()
    {
        using var fx = new DoctorFixture();
        fx.Write("ws/go.work", "go 1.99\n\nuse (\n\t./lib\n\t./app\n)\n");
        var dlv = await fx.CompatibleDlvAsync();
        var report = new LogOnlyCakeContext().GoDoctor(fx.Settings, await ToolchainAsync(), new DelveResult(dlv, "1.0.0", true, DelveSource.Existing));
        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { "GODR002" }));
    }

    [Test]
    public void Without_go_and_dlv_the_alias_looks_for_them_on_the_PATH_of_the_environment()
    {
        using var fx = new DoctorFixture();
        var goBin = Path.GetDirectoryName(RealTools.FindGo())!;
        var dlv = fx.FakeDlv(DoctorFixture.DlvOlderThanAnySupportedGo);
        fx.Environment["PATH"] = string.Join(Path.PathSeparator, Path.Combine(fx.GoPath, "bin"), goBin, Path.GetDirectoryName(dlv));
        var report = new LogOnlyCakeContext().GoDoctor(fx.Settings);
        Assert.That(report.Findings.Select(f => f.Code), Is.EqualTo(new[] { "GODR010" }));
        Assert.That(report.Findings[0].Problem, Does.Contain(dlv));
    }

    private static async Task<GoToolchainResult> ToolchainAsync()
    {
        var go = await RealTools.GoAsync();
        return new GoToolchainResult(go.Executable, go.GoRoot, go.Version, GoSource.Path, go.Environment);
    }

    /// <summary>A Cake host reduced to its log and Cake's own environment: the alias uses nothing else.</summary>
    private sealed class LogOnlyCakeContext : ICakeContext
    {
        public RecordingCakeLog Log { get; } = new();

        ICakeLog ICakeContext.Log => Log;

        public IFileSystem FileSystem => throw new NotSupportedException();

        public ICakeEnvironment Environment { get; } = new CakeEnvironment(new CakePlatform(), new CakeRuntime());

        public IGlobber Globber => throw new NotSupportedException();

        public ICakeArguments Arguments => throw new NotSupportedException();

        public IProcessRunner ProcessRunner => throw new NotSupportedException();

        public IRegistry Registry => throw new NotSupportedException();

        public IToolLocator Tools => throw new NotSupportedException();

        public ICakeDataResolver Data => throw new NotSupportedException();

        public ICakeConfiguration Configuration => throw new NotSupportedException();
    }

    private sealed class RecordingCakeLog : ICakeLog
    {
        private readonly List<string> _messages = [];

        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

        public IReadOnlyList<string> Messages
        {
            get { lock (_messages) { return _messages.ToArray(); } }
        }

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
            lock (_messages) { _messages.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args)); }
        }
    }
}
