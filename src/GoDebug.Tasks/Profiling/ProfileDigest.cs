using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GoDebug.Tasks.Profiling;

/// <summary>
/// What a report shows of one profile (totals, top functions of every sample type, flame graph trees), read
/// straight from profile.proto's bytes. A service's heap profile can be tens of megabytes holding millions of
/// samples; building message objects for each (as <see cref="PprofProfile"/> does through Google.Protobuf)
/// costs more than everything the report then does with them. So the file is gunzipped once into one buffer
/// sized by the gzip trailer, the tables (strings, functions, locations) are decoded, and the samples are read
/// in place: once for totals and tops, then once per stack level for the trees. The buffer is native memory,
/// freed the moment the read ends: as a managed array it would stay resident until the next full collection, on
/// top of everything the report renders afterwards.
/// </summary>
internal sealed unsafe class ProfileDigest
{
    private ProfileDigest(IReadOnlyList<SampleType> sampleTypes, int defaultIndex, long[] totals, int samples, IReadOnlyList<IReadOnlyList<FunctionValue>> tops, IReadOnlyDictionary<int, StackNode> trees)
    {
        SampleTypes = sampleTypes;
        DefaultSampleIndex = defaultIndex;
        Totals = totals;
        SampleCount = samples;
        Tops = tops;
        Trees = trees;
    }

    public IReadOnlyList<SampleType> SampleTypes { get; }

    /// <summary>The sample type pprof shows by default (the profile's default_sample_type, else the last one).</summary>
    public int DefaultSampleIndex { get; }

    /// <summary>Sum of every sample's value, per sample type.</summary>
    public IReadOnlyList<long> Totals { get; }

    public int SampleCount { get; }

    /// <summary>Per sample type: functions by flat then cumulative value, largest first (as <see cref="PprofProfile.TopFunctionsOfEachType"/>).</summary>
    public IReadOnlyList<IReadOnlyList<FunctionValue>> Tops { get; }

    /// <summary>
    /// The call trees asked for, by sample type index: every frame a flame graph draws, with the value
    /// <see cref="PprofProfile.Tree"/> gives it. Frames <see cref="FlameGraph"/> would not draw (too narrow) are
    /// left out, and so are their callees, which are never wider.
    /// </summary>
    public IReadOnlyDictionary<int, StackNode> Trees { get; }

    /// <summary>Reads a gzipped (or plain) profile.proto file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="topCount">How many functions each top table keeps.</param>
    /// <param name="treeIndexes">Which sample types get a tree, given the sample types and the default one's index (asked before the samples are read).</param>
    /// <exception cref="InvalidDataException">The file is truncated, not gzip where it says so, or not profile.proto.</exception>
    public static ProfileDigest Read(string path, int topCount, Func<IReadOnlyList<SampleType>, int, IEnumerable<int>> treeIndexes)
    {
        using var buffer = ReadAll(path);
        using var decoder = new Decoder(buffer);
        return decoder.Digest(topCount, treeIndexes);
    }

    /// <summary>Decompresses into one buffer of the size the gzip trailer announces (no growing copies).</summary>
    private static NativeBuffer ReadAll(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var header = new byte[2];
        if (file.Read(header) < 2 || header[0] != 0x1f || header[1] != 0x8b)
        {
            // Not gzip: go tool trace -pprof writes plain profile.proto.
            file.Position = 0;
            var plain = new NativeBuffer(file.Length);
            try
            {
                file.ReadExactly(plain.Span);
                plain.Length = (int)file.Length;
                return plain;
            }
            catch
            {
                plain.Dispose();
                throw;
            }
        }

        if (file.Length < 18) throw new InvalidDataException("the gzip stream ends early (its length trailer does not match the data)");
        var trailer = new byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        var announced = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        file.Position = 0;
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        // The trailer is the length mod 2^32, and a cut file's last bytes are no trailer at all: trusted for the
        // buffer's size only up to a ratio deflate reaches on profiles; past it the buffer grows as data arrives.
        var buffer = new NativeBuffer(Math.Min((long)announced + 1, (file.Length * 16) + (1 << 16)));
        try
        {
            int n;
            while ((n = gzip.Read(buffer.Span[buffer.Length..])) > 0)
            {
                buffer.Length += n;
                if (buffer.Length == buffer.Capacity) buffer.Grow();
            }

            // A cut-off gzip stream can end on a block boundary and decompress "fine"; its trailer cannot lie.
            if ((uint)buffer.Length != announced) throw new InvalidDataException("the gzip stream ends early (its length trailer does not match the data)");
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Zeroed longs outside the managed heap, aligned to a cache line, returned to the system on <see cref="Dispose"/>.</summary>
    private sealed class AlignedLongs : IDisposable
    {
        public AlignedLongs(long count)
        {
            var bytes = (nuint)Math.Max(count * sizeof(long), 64);
            Pointer = (long*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(bytes, 64);
            System.Runtime.InteropServices.NativeMemory.Clear(Pointer, bytes);
        }

        public long* Pointer { get; private set; }

        public void Dispose()
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(Pointer);
            Pointer = null;
        }
    }

    /// <summary>Bytes outside the managed heap, returned to the system on <see cref="Dispose"/>.</summary>
    private sealed class NativeBuffer : IDisposable
    {
        public NativeBuffer(long capacity)
        {
            if (capacity > int.MaxValue) throw new InvalidDataException("the profile is larger than 2 GB uncompressed");
            Capacity = (int)Math.Max(capacity, 1);
            Pointer = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)Capacity);
        }

        public byte* Pointer { get; private set; }

        public int Capacity { get; private set; }

        /// <summary>How many bytes hold data.</summary>
        public int Length { get; set; }

        public Span<byte> Span => new(Pointer, Capacity);

        public void Grow()
        {
            if (Capacity == int.MaxValue) throw new InvalidDataException("the profile is larger than 2 GB uncompressed");
            var capacity = (int)Math.Min(Capacity * 2L, int.MaxValue);
            Pointer = (byte*)System.Runtime.InteropServices.NativeMemory.Realloc(Pointer, (nuint)capacity);
            Capacity = capacity;
        }

        public void Shrink(int length)
        {
            Capacity = Math.Max(length, 1);
            Length = length;
            Pointer = (byte*)System.Runtime.InteropServices.NativeMemory.Realloc(Pointer, (nuint)Capacity);
        }

        public void Dispose()
        {
            System.Runtime.InteropServices.NativeMemory.Free(Pointer);
            Pointer = null;
        }
    }

    /// <summary>profile.proto's wire format over one buffer: varints, lengths, skips, with positions in errors.</summary>
    private struct Reader(byte* data, int end)
    {
        public readonly byte* Data = data;
        public int Position;
        public int End = end;

        public readonly bool More => Position < End;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public ulong Varint()
        {
            // Most varints of a profile (tags, small values) are one byte, and location ids up to 2^21 three at most.
            var p = Position;
            if (End - p >= 3)
            {
                var b0 = Data[p];
                if (b0 < 0x80)
                {
                    Position = p + 1;
                    return b0;
                }

                var b1 = Data[p + 1];
                if (b1 < 0x80)
                {
                    Position = p + 2;
                    return ((ulong)b0 & 0x7f) | ((ulong)b1 << 7);
                }

                var b2 = Data[p + 2];
                if (b2 < 0x80)
                {
                    Position = p + 3;
                    return ((ulong)b0 & 0x7f) | (((ulong)b1 & 0x7f) << 7) | ((ulong)b2 << 14);
                }
            }

            return LongVarint();
        }

        private ulong LongVarint()
        {
            var data = Data;
            var p = Position;
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (p >= End) throw Truncated(p);
                var b = data[p++];
                result |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    Position = p;
                    return result;
                }
            }

            throw new InvalidDataException($"profile.proto: a varint longer than 10 bytes at byte {Position}");
        }

        /// <summary>A length-delimited field's end, checked against the enclosing message.</summary>
        public int LengthEnd()
        {
            var length = Varint();
            if (length > (ulong)(End - Position)) throw Truncated(End);
            return Position + (int)length;
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    Advance(8);
                    break;
                case 2:
                    Position = LengthEnd();
                    break;
                case 5:
                    Advance(4);
                    break;
                default:
                    throw new InvalidDataException($"profile.proto: wire type {wireType} at byte {Position} (the file is not a profile)");
            }
        }

        private void Advance(int bytes)
        {
            if (End - Position < bytes) throw Truncated(End);
            Position += bytes;
        }

        private static InvalidDataException Truncated(int at) => new($"profile.proto: a field runs past its message's end at byte {at} (the profile is truncated or not a profile)");
    }

    /// <summary>One decode: tables first, then the samples, which are kept as spans of the buffer.</summary>
    private sealed class Decoder(NativeBuffer buffer) : IDisposable
    {
        private const int NoStackName = -2;

        private byte* _data = buffer.Pointer;
        private readonly List<(long Type, long Unit)> _types = [];
        private readonly List<ulong> _lineFunctions = [];
        private List<(int Start, int End)> _strings = [];
        private List<(ulong Id, long Name)> _functions = [];
        private List<(ulong Id, ulong Address, int FirstLine, int Lines)> _locations = [];
        private List<string> _names = [];
        private Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);
        private Reader _top = new(buffer.Pointer, buffer.Length);
        // Per sample, first its message's span in the buffer; after the first pass, its location ids' span (a packed
        // run in the buffer, or a run of _spilled where they were written unpacked), whose end is then the cursor of
        // its walk from the root (read backwards: the sample lists the leaf first).
        private NativeArray<int> _sampleSpans = new(0);
        private int _samples;
        private long _defaultType;

        // Resolved tables: a location's frames (name ids) innermost first, as its lines are; by location id.
        private int[] _frames = [];
        private int[] _locationFirst = [];
        private int[] _locationCount = [];
        // By location id: the name id of its one frame (most locations are not inlined), -1 for no such location,
        // or -(index + 2) of a location with several frames. Go numbers locations 1..N, so this is usually an array.
        private int[]? _byDenseId;
        private Dictionary<ulong, int>? _byId;

        private bool[] _frameIsInnermost = [];
        private bool[]? _stackSpilled;
        private readonly List<ulong> _spilled = [];

        public ProfileDigest Digest(int topCount, Func<IReadOnlyList<SampleType>, int, IEnumerable<int>> treeIndexes)
        {
            ReadTables();
            ResolveTables();
            var types = _types.Select(t => new SampleType(Str(t.Type), Str(t.Unit))).ToList();
            var defaultIndex = -1;
            if (_defaultType != 0)
            {
                var name = Str(_defaultType);
                defaultIndex = types.FindIndex(t => t.Type == name);
            }

            defaultIndex = defaultIndex >= 0 ? defaultIndex : Math.Max(0, types.Count - 1);
            var totals = new long[types.Count];
            var wanted = treeIndexes(types, defaultIndex).Where(i => i >= 0 && i < types.Count).Distinct().ToArray();
            var (tops, flameValues) = ReadSamples(types.Count, totals, topCount, wanted);
            using var disposeValues = new Disposables(flameValues);
            CompactStacks();
            var trees = BuildTrees(wanted, flameValues, totals);
            return new ProfileDigest(types, defaultIndex, totals, _samples, tops, trees);
        }

        public void Dispose() => _sampleSpans.Dispose();

        private string Str(long index)
        {
            if (index < 0 || index >= _strings.Count) return string.Empty;
            var (start, end) = _strings[(int)index];
            return Encoding.UTF8.GetString(_data + start, end - start);
        }

        private void ReadTables()
        {
            // Counted first, so every table is allocated once at its size (a profile can hold millions of samples, and
            // growing copies would be garbage on top of the profile at the report's peak).
            var counter = _top;
            var (samples, locations, functions, strings) = (0, 0, 0, 0);
            while (counter.More)
            {
                var tag = counter.Varint();
                switch (tag)
                {
                    case 18:
                        samples++;
                        break;
                    case 34:
                        locations++;
                        break;
                    case 42:
                        functions++;
                        break;
                    case 50:
                        strings++;
                        break;
                }

                counter.Skip((int)(tag & 7));
            }

            _sampleSpans.Dispose();
            _sampleSpans = new NativeArray<int>(samples * 2);
            _locations = new(locations);
            _functions = new(functions);
            _strings = new(strings);
            _names = new(functions);
            _nameIds = new(functions, StringComparer.Ordinal);
            while (_top.More)
            {
                var tag = _top.Varint();
                var field = tag >> 3;
                var wireType = (int)(tag & 7);
                switch (field)
                {
                    case 1 when wireType == 2:
                        ReadValueType();
                        break;
                    case 2 when wireType == 2:
                        var end = _top.LengthEnd();
                        _sampleSpans[_samples * 2] = _top.Position;
                        _sampleSpans[(_samples * 2) + 1] = end;
                        _samples++;
                        _top.Position = end;
                        break;
                    case 4 when wireType == 2:
                        ReadLocation();
                        break;
                    case 5 when wireType == 2:
                        ReadFunction();
                        break;
                    case 6 when wireType == 2:
                        var stringEnd = _top.LengthEnd();
                        _strings.Add((_top.Position, stringEnd));
                        _top.Position = stringEnd;
                        break;
                    case 14 when wireType == 0:
                        _defaultType = (long)_top.Varint();
                        break;
                    default:
                        _top.Skip(wireType);
                        break;
                }
            }
        }

        private void ReadValueType()
        {
            var m = Sub();
            long type = 0, unit = 0;
            while (m.More)
            {
                var tag = m.Varint();
                if (tag == 8) type = (long)m.Varint();
                else if (tag == 16) unit = (long)m.Varint();
                else m.Skip((int)(tag & 7));
            }

            _types.Add((type, unit));
        }

        private void ReadFunction()
        {
            var m = Sub();
            ulong id = 0;
            long name = 0;
            while (m.More)
            {
                var tag = m.Varint();
                if (tag == 8) id = m.Varint();
                else if (tag == 16) name = (long)m.Varint();
                else m.Skip((int)(tag & 7));
            }

            _functions.Add((id, name));
        }

        private void ReadLocation()
        {
            var m = Sub();
            ulong id = 0, address = 0;
            var first = _lineFunctions.Count;
            while (m.More)
            {
                var tag = m.Varint();
                if (tag == 8)
                {
                    id = m.Varint();
                }
                else if (tag == 24)
                {
                    address = m.Varint();
                }
                else if (tag == 34)
                {
                    var lineEnd = m.LengthEnd();
                    var line = m with { End = lineEnd };
                    ulong function = 0;
                    while (line.More)
                    {
                        var lineTag = line.Varint();
                        if (lineTag == 8) function = line.Varint();
                        else line.Skip((int)(lineTag & 7));
                    }

                    _lineFunctions.Add(function);
                    m.Position = lineEnd;
                }
                else
                {
                    m.Skip((int)(tag & 7));
                }
            }

            _locations.Add((id, address, first, _lineFunctions.Count - first));
        }

        /// <summary>The embedded message at the top reader's position, which moves past it.</summary>
        private Reader Sub()
        {
            var end = _top.LengthEnd();
            var m = _top with { End = end };
            _top.Position = end;
            return m;
        }

        private int NameId(string name)
        {
            if (_nameIds.TryGetValue(name, out var id)) return id;
            id = _names.Count;
            _names.Add(name);
            _nameIds.Add(name, id);
            return id;
        }

        private void ResolveTables()
        {
            // Names are interned to ids, so functions of the same name (as pprof -top merges them) share one.
            var functionIds = new Dictionary<ulong, int>(_functions.Count);
            foreach (var (id, name) in _functions)
            {
                var text = Str(name);
                functionIds[id] = NameId(text.Length > 0 ? text : "?");
            }

            _frames = new int[_lineFunctions.Count + _locations.Count];
            _frameIsInnermost = new bool[_frames.Length];
            _locationFirst = new int[_locations.Count];
            _locationCount = new int[_locations.Count];
            var at = 0;
            var maxId = 0UL;
            for (var i = 0; i < _locations.Count; i++)
            {
                var (id, address, firstLine, lines) = _locations[i];
                maxId = Math.Max(maxId, id);
                _locationFirst[i] = at;
                if (lines == 0)
                {
                    _frames[at++] = NameId($"0x{address:x}");
                }
                else
                {
                    for (var l = 0; l < lines; l++) _frames[at++] = functionIds.TryGetValue(_lineFunctions[firstLine + l], out var f) ? f : NameId("?");
                }

                _locationCount[i] = at - _locationFirst[i];
                _frameIsInnermost[_locationFirst[i]] = true;
            }

            // Go numbers locations 1..N; a table indexed by id is then exact and far cheaper than hashing.
            int Encoded(int i) => _locationCount[i] == 1 ? _frames[_locationFirst[i]] : -(i + 2);
            if (maxId <= (ulong)(_locations.Count * 4L) + 1024)
            {
                _byDenseId = new int[maxId + 1];
                Array.Fill(_byDenseId, -1);
                for (var i = 0; i < _locations.Count; i++) _byDenseId[_locations[i].Id] = Encoded(i);
            }
            else
            {
                _byId = new Dictionary<ulong, int>(_locations.Count);
                for (var i = 0; i < _locations.Count; i++) _byId[_locations[i].Id] = Encoded(i);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private int Location(ulong id)
        {
            if (_byDenseId is { } dense) return id < (ulong)dense.Length ? dense[id] : -1;
            return _byId!.TryGetValue(id, out var i) ? i : -1;
        }

        /// <summary>
        /// One pass over the samples: totals, flat and cumulative values per function (cumulative once per sample
        /// however often recursion repeats a function), and where each sample's stack and tree values are.
        /// </summary>
        private (IReadOnlyList<IReadOnlyList<FunctionValue>> Tops, SampleValues[] FlameValues) ReadSamples(int types, long[] totals, int topCount, int[] wanted)
        {
            var names = _names.Count;
            // One row per function, cumulative then flat values of each type, each row on its own cache line(s): a large
            // profile touches a random row per frame, and that costs one line where three arrays would cost three. The
            // last sample that counted a function (recursion counts it once) sits apart, small enough for the L2 cache.
            var width = ((2 * types) + 7) & ~7;
            using var table = new AlignedLongs((long)names * width);
            var rows = table.Pointer;
            var stamp = new int[names];
            var values = new long[types];
            var flameValues = wanted.Select(_ => new SampleValues(_samples)).ToArray();
            var frames = _frames;
            for (var s = 0; s < _samples; s++)
            {
                var m = _top with { Position = _sampleSpans[s * 2], End = _sampleSpans[(s * 2) + 1] };
                Array.Clear(values);
                var valueCount = 0;
                var packedStart = 0;
                var packedEnd = 0;
                var runs = 0;
                var spilledAt = _spilled.Count;
                while (m.More)
                {
                    var tag = m.Varint();
                    switch (tag)
                    {
                        case 10:
                            var end = m.LengthEnd();
                            if (runs++ == 0)
                            {
                                packedStart = m.Position;
                                packedEnd = end;
                            }
                            else
                            {
                                if (runs == 2) Spill(packedStart, packedEnd);
                                Spill(m.Position, end);
                            }

                            m.Position = end;
                            break;
                        case 8:
                            // Written unpacked (runtime/pprof does so for one or two locations): kept aside.
                            if (runs == 1) Spill(packedStart, packedEnd);
                            runs += 2;
                            _spilled.Add(m.Varint());
                            break;
                        case 18:
                            var valuesEnd = m.LengthEnd();
                            var v = m with { End = valuesEnd };
                            while (v.More)
                            {
                                var value = (long)v.Varint();
                                if (valueCount < types) values[valueCount] = value;
                                valueCount++;
                            }

                            m.Position = valuesEnd;
                            break;
                        case 16:
                            var single = (long)m.Varint();
                            if (valueCount < types) values[valueCount] = single;
                            valueCount++;
                            break;
                        default:
                            m.Skip((int)(tag & 7));
                            break;
                    }
                }

                var spilled = runs > 1;
                if (spilled)
                {
                    _stackSpilled ??= new bool[_samples];
                    _stackSpilled[s] = true;
                    _sampleSpans[s * 2] = spilledAt;
                    _sampleSpans[(s * 2) + 1] = _spilled.Count;
                }
                else
                {
                    _sampleSpans[s * 2] = packedStart;
                    _sampleSpans[(s * 2) + 1] = packedEnd;
                }

                for (var t = 0; t < types; t++) totals[t] += values[t];
                for (var w = 0; w < wanted.Length; w++) flameValues[w].Set(s, values[wanted[w]]);

                var leaf = true;
                var sampleNumber = s + 1;
                var ids = m with { Position = packedStart, End = packedEnd };
                var next = spilledAt;
                while (spilled ? next < _spilled.Count : ids.More)
                {
                    var id = spilled ? _spilled[next++] : ids.Varint();
                    var encoded = Location(id);
                    if (encoded == -1) continue;
                    if (encoded >= 0)
                    {
                        Count(encoded);
                        continue;
                    }

                    var first = _locationFirst[-encoded - 2];
                    var last = first + _locationCount[-encoded - 2];
                    for (var f = first; f < last; f++) Count(frames[f]);
                }

                void Count(int name)
                {
                    var row = rows + ((long)name * width);
                    if (stamp[name] != sampleNumber)
                    {
                        stamp[name] = sampleNumber;
                        for (var t = 0; t < types; t++) row[t] += values[t];
                    }

                    if (leaf)
                    {
                        for (var t = 0; t < types; t++) row[types + t] += values[t];
                        leaf = false;
                    }
                }
            }

            // Only the top rows become FunctionValues: a record per function and type would be garbage at the report's peak.
            var tops = new List<IReadOnlyList<FunctionValue>>(types);
            var order = new int[names];
            for (var t = 0; t < types; t++)
            {
                var count = 0;
                for (var n = 0; n < names; n++)
                {
                    if (rows[((long)n * width) + t] != 0) order[count++] = n;
                }

                Array.Sort(order, 0, count, new RowOrder(rows, width, types, t, _names));
                var top = new List<FunctionValue>(Math.Min(count, topCount));
                for (var i = 0; i < top.Capacity; i++)
                {
                    var row = rows + ((long)order[i] * width);
                    top.Add(new FunctionValue(_names[order[i]], row[types + t], row[t]));
                }

                tops.Add(top);
            }

            return (tops, flameValues);
        }

        /// <summary>
        /// The trees, one stack level at a time from the root: each sample still in a drawn frame steps one frame
        /// deeper, its value goes to the (parent, function) child, and a child too narrow to draw drops its samples.
        /// Memory stays at a few numbers per sample plus the frames drawn, where a full merge of a large profile's
        /// stacks holds a node for almost every frame of every sample.
        /// </summary>
        /// <summary>
        /// Moves every packed run of location ids to the front of the buffer, in order, and gives the rest back:
        /// the trees read nothing else (values, tags, string and location tables are done with), a third or so of it.
        /// </summary>
        private void CompactStacks()
        {
            var write = 0;
            for (var s = 0; s < _samples; s++)
            {
                if (_stackSpilled is { } spilled && spilled[s]) continue;
                var start = _sampleSpans[s * 2];
                var length = _sampleSpans[(s * 2) + 1] - start;
                // Runs lie in file order, so each moves down (or stays) and never over one not yet moved.
                Buffer.MemoryCopy(_data + start, _data + write, length, length);
                _sampleSpans[s * 2] = write;
                _sampleSpans[(s * 2) + 1] = write + length;
                write += length;
            }

            buffer.Shrink(write);
            _data = buffer.Pointer;
            _top = new Reader(buffer.Pointer, write);
        }

        private static bool Live(TreeBuilder[] builders, int sample)
        {
            foreach (var b in builders)
            {
                if (b.Holds(sample)) return true;
            }

            return false;
        }

        /// <summary>Copies a packed run of location ids to <see cref="_spilled"/>.</summary>
        private void Spill(int start, int end)
        {
            var run = _top with { Position = start, End = end };
            while (run.More) _spilled.Add(run.Varint());
        }

        private Dictionary<int, StackNode> BuildTrees(int[] wanted, SampleValues[] flameValues, long[] totals)
        {
            var trees = new Dictionary<int, StackNode>();
            if (wanted.Length == 0) return trees;
            var builders = wanted.Select((index, w) => new TreeBuilder(totals[index], flameValues[w])).ToArray();
            using var disposeBuilders = new Disposables(builders);
            // Inside an inlined location, the next of its frames to come (from the root), else -1.
            using var pending = new NativeArray<int>(_samples);
            pending.Fill(-1);
            var live = 0;
            for (var s = 0; s < _samples; s++)
            {
                var any = false;
                foreach (var b in builders) any |= b.Enter(s);
                if (any) live++;
            }

            for (var level = 0; live > 0; level++)
            {
                foreach (var b in builders) b.BeginLevel();
                live = 0;
                for (var s = 0; s < _samples; s++)
                {
                    if (!Live(builders, s)) continue;
                    var name = NextFrame(s, pending, advance: true);
                    // A sample without frames (a goroutine caught with no stack) still counts, in a frame of its own.
                    if (name < 0 && level == 0) name = NoStackName;
                    var any = false;
                    foreach (var b in builders)
                    {
                        if (name == -1) b.Leave(s);
                        else any |= b.Step(s, name);
                    }

                    if (!any) continue;
                    live++;
                    // The next level's estimate, from a look at the frame after this one.
                    var next = NextFrame(s, pending, advance: false);
                    if (next >= 0)
                    {
                        foreach (var b in builders) b.EstimateNext(s, next);
                    }
                }

                foreach (var b in builders) b.EndLevel();
            }

            for (var w = 0; w < wanted.Length; w++) trees[wanted[w]] = builders[w].ToTree(id => id == NoStackName ? "(no stack)" : _names[id]);
            return trees;
        }

        /// <summary>The sample's next frame from the root, or -1 at its leaf; <paramref name="advance"/> false only looks.</summary>
        private int NextFrame(int s, NativeArray<int> pending, bool advance)
        {
            var frame = pending[s];
            var at = _sampleSpans[(s * 2) + 1];
            var stop = _sampleSpans[s * 2];
            var name = -1;
            while (true)
            {
                if (frame >= 0)
                {
                    // A location's frames are innermost first; from the root, its caller comes first.
                    name = _frames[frame];
                    frame = _frameIsInnermost[frame] ? -1 : frame - 1;
                    break;
                }

                if (at <= stop) break;
                ulong id;
                if (_stackSpilled is { } spilled && spilled[s])
                {
                    id = _spilled[--at];
                }
                else
                {
                    // Backwards over a packed run: a varint's last byte is the one below 0x80.
                    var start = at - 1;
                    while (start > stop && _data[start - 1] >= 0x80) start--;
                    var r = _top with { Position = start, End = at };
                    id = r.Varint();
                    at = start;
                }

                var encoded = Location(id);
                if (encoded >= 0)
                {
                    name = encoded;
                    break;
                }

                if (encoded < -1) frame = _locationFirst[-encoded - 2] + _locationCount[-encoded - 2] - 1;
            }

            if (advance)
            {
                pending[s] = frame;
                _sampleSpans[(s * 2) + 1] = at;
            }

            return name;
        }
    }

    /// <summary>
    /// A level's children by (parent, function) key: open addressing over two arrays, because a level of a large
    /// profile looks up a child once per sample and Dictionary's buckets, entries and chains cost twice the probe.
    /// </summary>
    private sealed class ChildTable
    {
        private long[] _keys = NewKeys(1024);
        private int[] _values = new int[1024];
        private int _count;

        private static long[] NewKeys(int length)
        {
            var keys = new long[length];
            Array.Fill(keys, -1L);
            return keys;
        }

        public void Clear()
        {
            if (_count == 0) return;
            Array.Fill(_keys, -1L);
            _count = 0;
        }

        /// <summary>The value slot of <paramref name="key"/> (keys are never negative); a new slot when <paramref name="found"/> is false.</summary>
        public ref int Slot(long key, out bool found)
        {
            if (_count * 2 >= _keys.Length) Grow();
            var mask = _keys.Length - 1;
            var i = (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 40) & mask;
            while (true)
            {
                var k = _keys[i];
                if (k == key)
                {
                    found = true;
                    return ref _values[i];
                }

                if (k < 0)
                {
                    _keys[i] = key;
                    _count++;
                    found = false;
                    return ref _values[i];
                }

                i = (i + 1) & mask;
            }
        }

        private void Grow()
        {
            var (keys, values) = (_keys, _values);
            _keys = NewKeys(keys.Length * 2);
            _values = new int[keys.Length * 2];
            _count = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] >= 0) Slot(keys[i], out _) = values[i];
            }
        }
    }

    /// <summary>Functions by flat then cumulative value of one sample type, largest first, then by name (as pprof -top lists them).</summary>
    private sealed class RowOrder(long* rows, int width, int types, int type, List<string> names) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            long* x = rows + ((long)a * width), y = rows + ((long)b * width);
            if (x[types + type] != y[types + type]) return y[types + type].CompareTo(x[types + type]);
            if (x[type] != y[type]) return y[type].CompareTo(x[type]);
            return string.CompareOrdinal(names[a], names[b]);
        }
    }

    /// <summary>One value per sample, in 4 bytes each until one needs 8 (a million-sample profile's values then take 4 MB, not 8).</summary>
    private sealed class SampleValues(int count) : IDisposable
    {
        private NativeArray<int>? _small = new(count);
        private NativeArray<long>? _large;

        public bool AnyNegative { get; private set; }

        public int Length => count;

        public long Get(int sample) => _small is { } small ? small[sample] : _large![sample];

        public void Set(int sample, long value)
        {
            AnyNegative |= value < 0;
            if (_small is { } small)
            {
                if (value is >= int.MinValue and <= int.MaxValue)
                {
                    small[sample] = (int)value;
                    return;
                }

                _large = new NativeArray<long>(count);
                for (var i = 0; i < count; i++) _large[i] = small[i];
                small.Dispose();
                _small = null;
            }

            _large![sample] = value;
        }

        public void Dispose()
        {
            _small?.Dispose();
            _large?.Dispose();
        }
    }

    /// <summary>
    /// A per-sample array outside the managed heap, freed when the read ends: a million-sample profile's few
    /// arrays would otherwise stay resident as garbage while the report renders, on top of what it renders.
    /// </summary>
    private sealed class NativeArray<T>(int length) : IDisposable
        where T : unmanaged
    {
        private T* _items = (T*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)Math.Max(length, 1), (nuint)sizeof(T));

        public int Length => length;

        public ref T this[int index] => ref new Span<T>(_items, length)[index];

        public void Fill(T value) => new Span<T>(_items, length).Fill(value);

        public void Dispose()
        {
            System.Runtime.InteropServices.NativeMemory.Free(_items);
            _items = null;
        }
    }

    /// <summary>Disposes each of a set at the end of a using scope.</summary>
    private readonly struct Disposables(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items) item.Dispose();
        }
    }

    /// <summary>
    /// One tree's level-by-level merge. A node gets an id (and later a StackNode) only once it is known to be drawn.
    /// While a level is merged by (parent, function), each sample's value is also added to a bucket of the hash of
    /// the child it steps into next. At the next level, a bucket below the drawing threshold holds only children
    /// below it (values are not negative), so their samples leave without being merged, and the merge holds about
    /// the children that are drawn.
    /// </summary>
    private sealed class TreeBuilder : IDisposable
    {
        private const int BucketBits = 15;

        private readonly SampleValues _values;
        private readonly NativeArray<int> _node;
        private readonly long _threshold;
        private long[] _buckets;
        private long[] _nextBuckets;
        private bool _estimated;
        private readonly List<(int Parent, int Name, long Value)> _drawn = [];
        private readonly ChildTable _level = new();
        private long[] _levelValues = new long[64];
        private (int Parent, int Name)[] _levelKeys = new (int, int)[64];
        private int _levelCount;

        // The previous level's children by their level-local id: their drawn node's id, or -1 when too narrow.
        private int[] _previous = [0];
        private int[] _current = new int[64];

        public TreeBuilder(long total, SampleValues values)
        {
            _values = values;
            _node = new NativeArray<int>(values.Length);
            var scale = FlameGraph.Scale(total);
            // Pruning by width is exact only when no value is negative (then a callee is never wider than its caller);
            // otherwise every frame is merged, as PprofProfile.Tree does.
            var prune = scale > 0 && !values.AnyNegative;
            _threshold = prune ? FlameGraph.SmallestDrawn(scale) : long.MinValue;
            _buckets = prune ? new long[1 << BucketBits] : [];
            _nextBuckets = prune ? new long[1 << BucketBits] : [];
            _drawn.Add((-1, -1, total));
        }

        /// <summary>Samples whose value is zero add nothing to this tree, as in <see cref="PprofProfile.Tree"/>.</summary>
        public bool Enter(int sample)
        {
            _node[sample] = _values.Get(sample) == 0 ? -1 : 0;
            return _node[sample] >= 0;
        }

        public void BeginLevel()
        {
            _level.Clear();
            // The root's children need no estimate: there are at most as many as there are function names.
            _estimated = _levelCount > 0 && _buckets.Length > 0;
            _levelCount = 0;
            (_buckets, _nextBuckets) = (_nextBuckets, _buckets);
            Array.Clear(_nextBuckets);
        }

        public void Leave(int sample) => _node[sample] = -1;

        /// <summary>Whether the sample is still in a frame of this tree that may be drawn.</summary>
        public bool Holds(int sample) => _node[sample] >= 0;

        /// <summary>Adds the sample to the bucket of the child it would step into next, keyed by the child it is in now.</summary>
        public void EstimateNext(int sample, int name)
        {
            if (_nextBuckets.Length == 0 || _node[sample] is not (var local and >= 0)) return;
            _nextBuckets[Bucket(local, name)] += _values.Get(sample);
        }

        /// <summary>Moves the sample into its child named <paramref name="name"/>; false once it has left the drawn part of the tree.</summary>
        public bool Step(int sample, int name)
        {
            var local = _node[sample];
            var parent = local >= 0 ? _previous[local] : -1;
            if (parent < 0 || (_estimated && _buckets[Bucket(local, name)] < _threshold))
            {
                _node[sample] = -1;
                return false;
            }

            var key = ((long)parent << 32) | (uint)name;
            ref var slot = ref _level.Slot(key, out var found);
            var child = slot;
            if (!found)
            {
                child = _levelCount++;
                if (child == _levelValues.Length)
                {
                    Array.Resize(ref _levelValues, child * 2);
                    Array.Resize(ref _levelKeys, child * 2);
                }

                slot = child;
                _levelValues[child] = 0;
                _levelKeys[child] = (parent, name);
            }

            _levelValues[child] += _values.Get(sample);
            _node[sample] = child;
            return true;
        }

        public void EndLevel()
        {
            if (_current.Length < _levelCount) _current = new int[Math.Max(_levelCount, _current.Length * 2)];
            for (var i = 0; i < _levelCount; i++)
            {
                if (_levelValues[i] >= _threshold)
                {
                    _current[i] = _drawn.Count;
                    _drawn.Add((_levelKeys[i].Parent, _levelKeys[i].Name, _levelValues[i]));
                }
                else
                {
                    _current[i] = -1;
                }
            }

            (_previous, _current) = (_current, _previous);
        }

        public void Dispose() => _node.Dispose();

        public StackNode ToTree(Func<int, string> name)
        {
            var nodes = new StackNode[_drawn.Count];
            nodes[0] = StackNode.Merged("all", _drawn[0].Value);
            for (var i = 1; i < _drawn.Count; i++)
            {
                var (parent, n, value) = _drawn[i];
                nodes[i] = nodes[parent].AddMerged(name(n), value);
            }

            return nodes[0];
        }

        private static int Bucket(int parent, int name) => (int)((((uint)parent * 0x9E3779B1u) ^ (uint)name) * 0x85EBCA6Bu >> (32 - BucketBits));
    }
}
