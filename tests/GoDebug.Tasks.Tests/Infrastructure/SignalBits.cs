using System.Globalization;

namespace GoDebug.Tasks.Tests.Infrastructure;

/// <summary>A process's ignored and blocked signals as /proc/PID/status shows them (bit N-1 for signal N).</summary>
internal sealed record SignalBits(ulong Ignored, ulong Blocked)
{
    public static ulong Bit(int signal) => 1UL << (signal - 1);

    public static SignalBits Read(string pid) => Parse(File.ReadAllText($"/proc/{pid}/status"));

    /// <summary>The SigIgn and SigBlk lines of a status text (other lines are skipped).</summary>
    public static SignalBits Parse(string status)
    {
        ulong Field(string name)
        {
            var line = status.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                ?? throw new AssertionException($"no {name} line in:\n{status}");
            return ulong.Parse(line[(name.Length + 1)..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return new SignalBits(Field("SigIgn"), Field("SigBlk"));
    }

    public override string ToString() => $"SigIgn {Ignored:x16}, SigBlk {Blocked:x16}";
}
