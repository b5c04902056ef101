using System.Diagnostics;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>Checks on processes by PID, for tests that prove a cancel or Ctrl+C left nothing running.</summary>
internal static class ProcessChecks
{
    /// <summary>True while <paramref name="pid"/> runs; a zombie waiting to be reaped has already died.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True once <paramref name="pid"/> is gone; a killed process takes a moment to die.</summary>
    public static async Task<bool> GoneWithinAsync(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>
    /// The PID a process under test wrote to <paramref name="pidFile"/>. Fails the test when
    /// <paramref name="run"/> ends first (the process never got there) or after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<int> WaitForPidFileAsync(string pidFile, Task run, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            if (run.IsCompleted)
            {
                await run;
                Assert.Fail($"ended without writing {pidFile}");
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"{pidFile} was not written within {timeout}");
            await Task.Delay(20);
        }

        return int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
