using System.Buffers.Binary;
using System.IO.Compression;
using GoDebug.Tasks.Profiling.Proto;

namespace GoDebug.Tasks.Profiling;

/// <summary>A sample type of a profile: <c>inuse_space/bytes</c>, <c>samples/count</c>, <c>cpu/nanoseconds</c>.</summary>
/// <param name="Type">What is measured.</param>
/// <param name="Unit">Its unit.</param>
public sealed record SampleType(string Type, string Unit)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Unit}";
}

/// <summary>A function's share of one sample type: flat (as the leaf) and cumulative (anywhere on the stack).</summary>
/// <param name="Name">The function, as Go names it (<c>main.handleLeak.func1</c>).</param>
/// <param name="Flat">Value where it is the innermost frame.</param>
/// <param name="Cumulative">Value of every sample it appears in (counted once per sample).</param>
public sealed record FunctionValue(string Name, long Flat, long Cumulative);

/// <summary>
/// A decoded profile.proto in the shape reports need: sample types, and every sample's stack as function
/// names from root to leaf (inlined frames expanded) with its values.
/// </summary>
internal sealed class PprofProfile
{
    private static readonly string[] NoStack = ["(no stack)"];

    private PprofProfile(IReadOnlyList<SampleType> sampleTypes, IReadOnlyList<(string[] Stack, long[] Values)> samples, int defaultIndex, long durationNanos, long timeNanos)
    {
        SampleTypes = sampleTypes;
        Samples = samples;
        DefaultSampleIndex = defaultIndex;
        DurationNanos = durationNanos;
        TimeNanos = timeNanos;
    }

    public IReadOnlyList<SampleType> SampleTypes { get; }

    /// <summary>Stacks root first; one entry per sample of the file (not merged).</summary>
    public IReadOnlyList<(string[] Stack, long[] Values)> Samples { get; }

    /// <summary>The sample type pprof shows by default (the profile's default_sample_type, else the last one).</summary>
    public int DefaultSampleIndex { get; }

    public long DurationNanos { get; }

    public long TimeNanos { get; }

    public int IndexOf(string type) => SampleTypes.ToList().FindIndex(t => t.Type == type);

    public long Total(int index) => Samples.Sum(s => s.Values[index]);

    public static PprofProfile Load(string path) => FromProto(Decode(File.ReadAllBytes(path)));

    /// <summary>Gunzips and decodes; throws on a body that is truncated (gzip length trailer disagrees) or not profile.proto.</summary>
    public static Profile Decode(byte[] gzipped)
    {
        using var input = new MemoryStream(gzipped, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var raw = new MemoryStream(capacity: gzipped.Length * 4);
        gzip.CopyTo(raw);
        // A cut-off gzip stream can end on a block boundary and decompress "fine"; its trailer (length mod 2^32) cannot lie.
        if (gzipped.Length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(gzipped.AsSpan(gzipped.Length - 4)) != (uint)raw.Length)
        {
            throw new InvalidDataException("the gzip stream ends early (its length trailer does not match the data)");
        }

        raw.Position = 0;
        return Profile.Parser.ParseFrom(raw);
    }

    public static PprofProfile FromProto(Profile proto)
    {
        var strings = proto.StringTable;
        string Str(long i) => i >= 0 && i < strings.Count ? strings[(int)i] : string.Empty;
        // One string instance per distinct name, so later passes can compare and hash names by reference.
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        string Canonical(string name) => canonical.TryGetValue(name, out var c) ? c : canonical[name] = name;
        var functions = proto.Function.ToDictionary(f => f.Id, f => Str(f.Name) is { Length: > 0 } n ? Canonical(n) : "?");
        // Each location's frames leaf first: its lines are innermost-inlined first, caller last.
        var locations = proto.Location.ToDictionary(
            l => l.Id,
            l => l.Line.Count == 0
                ? [Canonical($"0x{l.Address:x}")]
                : l.Line.Select(line => functions.TryGetValue(line.FunctionId, out var name) ? name : "?").ToArray());
        var samples = new List<(string[] Stack, long[] Values)>(proto.Sample.Count);
        foreach (var sample in proto.Sample)
        {
            var length = 0;
            foreach (var id in sample.LocationId)
            {
                if (locations.TryGetValue(id, out var frames)) length += frames.Length;
            }

            // Filled from the end: the sample lists the leaf first, the stack is stored root first.
            var stack = new string[length];
            var at = length;
            foreach (var id in sample.LocationId)
            {
                if (!locations.TryGetValue(id, out var frames)) continue;
                foreach (var frame in frames) stack[--at] = frame;
            }

            samples.Add((stack, sample.Value.ToArray()));
        }

        var types = proto.SampleType.Select(t => new SampleType(Str(t.Type), Str(t.Unit))).ToList();
        var defaultType = proto.DefaultSampleType != 0 ? types.FindIndex(t => t.Type == Str(proto.DefaultSampleType)) : -1;
        return new PprofProfile(types, samples, defaultType >= 0 ? defaultType : Math.Max(0, types.Count - 1), proto.DurationNanos, proto.TimeNanos);
    }

    /// <summary>Functions by flat then cumulative value of sample type <paramref name="index"/>, largest first.</summary>
    public IReadOnlyList<FunctionValue> TopFunctions(int index, int count) => TopFunctionsOfEachType(count)[index];

    /// <summary>The top functions of every sample type, from one pass over the samples (a large profile has millions).</summary>
    public IReadOnlyList<IReadOnlyList<FunctionValue>> TopFunctionsOfEachType(int count)
    {
        var types = SampleTypes.Count;
        // Names are canonical instances (FromProto), so identity hashing is exact and far cheaper than hashing text.
        var ids = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        var flat = new List<long[]>();
        var cum = new List<long[]>();
        var stamp = new List<int>();
        var sampleNumber = 0;
        foreach (var (stack, values) in Samples)
        {
            sampleNumber++;
            for (var i = 0; i < stack.Length; i++)
            {
                if (!ids.TryGetValue(stack[i], out var id))
                {
                    id = ids.Count;
                    ids.Add(stack[i], id);
                    flat.Add(new long[types]);
                    cum.Add(new long[types]);
                    stamp.Add(0);
                }

                // Recursion puts a function on the stack twice; cumulative counts the sample once.
                if (stamp[id] != sampleNumber)
                {
                    stamp[id] = sampleNumber;
                    var c = cum[id];
                    for (var t = 0; t < types; t++) c[t] += values[t];
                }

                if (i == stack.Length - 1)
                {
                    var f = flat[id];
                    for (var t = 0; t < types; t++) f[t] += values[t];
                }
            }
        }

        return Enumerable.Range(0, types).Select(t => (IReadOnlyList<FunctionValue>)ids
                .Where(kv => cum[kv.Value][t] != 0)
                .Select(kv => new FunctionValue(kv.Key, flat[kv.Value][t], cum[kv.Value][t]))
                .OrderByDescending(f => f.Flat).ThenByDescending(f => f.Cumulative).ThenBy(f => f.Name, StringComparer.Ordinal)
                .Take(count).ToList())
            .ToList();
    }

    /// <summary>The merged call tree of sample type <paramref name="index"/> (the shape a flame graph draws).</summary>
    public StackNode Tree(int index)
    {
        var root = new StackNode("all");
        foreach (var (stack, values) in Samples)
        {
            var v = values[index];
            if (v == 0) continue;
            // A sample without frames (a goroutine caught with no stack) still counts, so it gets a frame of its own.
            root.Add(stack.Length == 0 ? NoStack : stack, v);
        }

        return root;
    }
}

/// <summary>A frame of a merged call tree: its total value and its callees.</summary>
internal sealed class StackNode(string name)
{
    /// <summary>Past this many callees a node indexes them by name; most frames have one or two, where a list is cheaper.</summary>
    private const int ListLimit = 8;

    private List<StackNode>? _list;
    private Dictionary<string, StackNode>? _map;

    public string Name { get; } = name;

    public long Value { get; private set; }

    public IReadOnlyCollection<StackNode> Children => (IReadOnlyCollection<StackNode>?)_map?.Values ?? (IReadOnlyCollection<StackNode>?)_list ?? [];

    public StackNode? Child(string childName)
    {
        if (_map is not null) return _map.GetValueOrDefault(childName);
        if (_list is null) return null;
        foreach (var child in _list)
        {
            if (ReferenceEquals(child.Name, childName) || string.Equals(child.Name, childName, StringComparison.Ordinal)) return child;
        }

        return null;
    }

    /// <summary>A root whose value was summed elsewhere (<see cref="ProfileDigest"/>).</summary>
    public static StackNode Merged(string name, long value) => new(name) { Value = value };

    /// <summary>A callee whose value was summed elsewhere; its name must be new among this node's callees.</summary>
    public StackNode AddMerged(string childName, long value)
    {
        var child = ChildOrNew(childName);
        child.Value = value;
        return child;
    }

    public void Add(IReadOnlyList<string> stack, long value)
    {
        var node = this;
        node.Value += value;
        for (var i = 0; i < stack.Count; i++)
        {
            node = node.ChildOrNew(stack[i]);
            node.Value += value;
        }
    }

    private StackNode ChildOrNew(string childName)
    {
        if (Child(childName) is { } existing) return existing;
        var child = new StackNode(childName);
        if (_map is not null)
        {
            _map.Add(childName, child);
        }
        else if (_list is null || _list.Count < ListLimit)
        {
            (_list ??= new List<StackNode>(1)).Add(child);
        }
        else
        {
            _map = new Dictionary<string, StackNode>(_list.Count * 2, StringComparer.Ordinal);
            foreach (var c in _list) _map.Add(c.Name, c);
            _map.Add(childName, child);
            _list = null;
        }

        return child;
    }
}
