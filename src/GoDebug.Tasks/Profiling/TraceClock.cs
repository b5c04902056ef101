namespace GoDebug.Tasks.Profiling;

/// <summary>
/// How long an execution trace covers, by its own clock: the span of its timestamps divided by the tick frequency it
/// records. The header names only the version; a request's wall time adds connection set-up and the trace's flush.
/// Reads the two wire formats without Go: before 1.22 a stream of self-sized events with per-batch delta timestamps;
/// from 1.22 size-prefixed batches whose headers carry a timestamp (the batch-header span matches the event span of
/// <c>go tool trace -d=1</c> to within a tenth of a millisecond, so events inside batches need no decoding).
/// </summary>
internal static class TraceClock
{
    // Go 1.11–1.21 (internal/trace parser.go).
    private const int OldBatch = 1, OldFrequency = 2, OldStack = 3, OldTimerGoroutine = 35, OldString = 37, OldUserLog = 48, OldCpuSample = 49;

    // Go 1.22+ (internal/trace/event/go122, tracev2): batch kinds, and the structural batches whose header time is
    // when the runtime wrote its tables, after the events.
    private const int EventBatch = 1, Stacks = 2, Strings = 4, CpuSamples = 6, Frequency = 8, ExperimentalBatch = 49, Sync = 50, ClockSnapshot = 51;

    /// <summary>The time between the trace's first and last timestamp; null when the file does not read as a trace.</summary>
    public static TimeSpan? Span(string path)
    {
        var data = File.ReadAllBytes(path);
        if (TraceHeader.TryParse(data) is not { } header) return null;
        try
        {
            var (first, last, frequency) = header.IsGenerationFormat ? ReadGenerations(data) : ReadEvents(data);
            return frequency > 0 && last >= first ? TimeSpan.FromSeconds((double)(last - first) / frequency) : null;
        }
        catch (InvalidDataException)
        {
            // A truncated or foreign body: no span rather than a wrong one.
            return null;
        }
    }

    private static (ulong First, ulong Last, ulong Frequency) ReadEvents(byte[] data)
    {
        var reader = new Varints(data, TraceHeader.Length);
        ulong first = ulong.MaxValue, last = 0, frequency = 0, time = 0;
        var args = new List<ulong>(8);
        while (!reader.AtEnd)
        {
            var head = reader.Byte();
            var type = head & 0x3f;
            if (type == OldString)
            {
                reader.Varint();
                reader.Skip(reader.Varint());
                continue;
            }

            args.Clear();
            var count = (head >> 6) + 1;
            if (count < 4)
            {
                for (var i = 0; i < count; i++) args.Add(reader.Varint());
            }
            else
            {
                var length = (int)reader.Varint();
                var end = reader.Position + length;
                while (reader.Position < end) args.Add(reader.Varint());
            }

            if (type == OldUserLog) reader.Skip(reader.Varint());
            if (args.Count < (type == OldBatch ? 2 : 1) && type is not (OldStack or OldTimerGoroutine)) throw new InvalidDataException($"event {type} without its timestamp");
            switch (type)
            {
                case OldBatch:
                    time = args[1];
                    break;
                case OldFrequency:
                    frequency = args[0];
                    break;
                case OldStack or OldTimerGoroutine:
                    break;
                default:
                    time += args[0];
                    // A CPU sample is written late by a worker; its place in the stream is not its time.
                    if (type == OldCpuSample) break;
                    first = Math.Min(first, time);
                    last = Math.Max(last, time);
                    break;
            }
        }

        return (first, last, frequency);
    }

    private static (ulong First, ulong Last, ulong Frequency) ReadGenerations(byte[] data)
    {
        var reader = new Varints(data, TraceHeader.Length);
        ulong first = ulong.MaxValue, last = 0, frequency = 0;
        while (!reader.AtEnd)
        {
            var kind = reader.Byte();
            if (kind is not (EventBatch or ExperimentalBatch)) throw new InvalidDataException($"batch kind {kind}");
            if (kind == ExperimentalBatch) reader.Byte();
            reader.Varint();
            reader.Varint();
            var time = reader.Varint();
            var size = (int)reader.Varint();
            var start = reader.Position;
            reader.Skip((ulong)size);
            if (kind == ExperimentalBatch || size == 0) continue;

            var batch = new Varints(data, start);
            switch (batch.Byte())
            {
                case Frequency:
                    frequency = batch.Varint();
                    break;
                case Sync:
                    frequency = SyncFrequency(batch, start + size) ?? frequency;
                    break;
                case Stacks or Strings or CpuSamples:
                    break;
                default:
                    first = Math.Min(first, time);
                    last = Math.Max(last, time);
                    break;
            }
        }

        return (first, last, frequency);
    }

    /// <summary>Go 1.25+ writes the frequency inside a sync batch, beside a clock snapshot.</summary>
    private static ulong? SyncFrequency(Varints batch, int end)
    {
        while (batch.Position < end)
        {
            switch (batch.Byte())
            {
                case Frequency:
                    return batch.Varint();
                case ClockSnapshot:
                    for (var i = 0; i < 4; i++) batch.Varint();
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Unsigned LEB128, as Go's encoding/binary writes it; reading past the end is <see cref="InvalidDataException"/>.</summary>
    private sealed class Varints(byte[] data, int position)
    {
        public int Position { get; private set; } = position;

        public bool AtEnd => Position >= data.Length;

        public byte Byte() => Position < data.Length ? data[Position++] : throw new InvalidDataException("the trace ends inside an event");

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }

            throw new InvalidDataException("a varint longer than 64 bits");
        }

        public void Skip(ulong count)
        {
            if (count > (ulong)(data.Length - Position)) throw new InvalidDataException("the trace ends inside an event");
            Position += (int)count;
        }
    }
}
