using System.Globalization;
using System.Reflection;
using System.Text;
using GoDebug.Tasks.Bench;

// Usage: dotnet run -c Release --project bench/GoDebug.Tasks.Bench -- [NAME ...] [--go PATH] [--out FILE]
if (args is [ProfilingBench.ReportOnce, var reportFile, var reportDir])
{
    var (before, peak) = await ProfilingBench.ReportOnceAsync(reportFile, reportDir, CancellationToken.None);
    Console.WriteLine(FormattableString.Invariant($"{before} {peak}"));
    return;
}

var names = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var root = Path.GetFullPath(Option("--root", Path.Combine(AppContext.BaseDirectory, "../../../../..")));
var go = BenchContext.ResolveGo(Option("--go", "go"));
var output = Option("--out", Path.Combine(root, "bench", "results", "latest.md"));
var scratch = Path.Combine(Path.GetTempPath(), "gdt-bench-" + Environment.ProcessId);
Directory.CreateDirectory(scratch);

var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .Where(b => names.Count == 0 || names.Contains(b.Name))
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

var table = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"Benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, one run of every row on {Machine()}; load average at the start {LoadAverage()}")
    .AppendLine()
    .AppendLine("| benchmark | case | GoDebug.Tasks (ms) | baseline (ms) | baseline / ours | note |")
    .AppendLine("|---|---|---:|---:|---:|---|");
try
{
    foreach (var bench in benchmarks)
    {
        Console.WriteLine($"== {bench.Name}");
        foreach (var row in await bench.RunAsync(new BenchContext(Path.Combine(scratch, bench.Name), root, go), CancellationToken.None))
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"| {row.Benchmark} | {row.Case} | {row.OursMs:0.0} | {(row.BaselineMs is { } b ? b.ToString("0.0", CultureInfo.InvariantCulture) : "-")} | {row.Ratio} | {row.Note} |");
            Console.WriteLine(line);
            table.AppendLine(line);
        }
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

table.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Load average at the end: {LoadAverage()}.");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, table.ToString());
Console.WriteLine($"Results written to {output}");

// The machine a table was measured on: CPU model, cores, memory, OS, as /proc and /etc/os-release give them.
static string Machine()
{
    static string? Field(string file, string key)
        => File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?[key.Length..].Trim(' ', '\t', ':', '=', '"') : null;
    var cpu = Field("/proc/cpuinfo", "model name") ?? "unknown CPU";
    var memory = Field("/proc/meminfo", "MemTotal") is { } kb ? $"{long.Parse(kb.Split(' ')[0], CultureInfo.InvariantCulture) / (1024.0 * 1024):0} GiB" : "unknown memory";
    return $"{cpu}, {Environment.ProcessorCount} cores, {memory}, {Field("/etc/os-release", "PRETTY_NAME") ?? Environment.OSVersion.ToString()}";
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
