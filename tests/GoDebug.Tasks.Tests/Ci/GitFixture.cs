using CliWrap;
using CliWrap.Buffered;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>Runs real git in a folder with a fixed identity; fails the test with git's stderr.</summary>
internal static class Git
{
    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var r = await Cli.Wrap("git")
            .WithArguments(["-c", "user.name=Fixture", "-c", "user.email=fixture@example.com", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", .. arguments])
            .WithWorkingDirectory(directory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (r.ExitCode != 0) throw new AssertionException($"git {string.Join(' ', arguments)} failed in {directory}: {r.StandardError}");
        return r.StandardOutput.Trim();
    }
}
