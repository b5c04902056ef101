using System.IO.Compression;
using Google.Protobuf;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Profiling.Proto;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>
/// The report reads profiles with <see cref="ProfileDigest"/> (its own wire decoder, trees pruned to what a flame
/// graph draws); every number and every flame graph must equal what the Google.Protobuf decode in
/// <see cref="PprofProfile"/> gives from the same file.
/// </summary>
public class ProfileDigestTests
{
    [TestCase(ProfileKind.Heap)]
    [TestCase(ProfileKind.Allocs)]
    [TestCase(ProfileKind.Goroutine)]
    [TestCase(ProfileKind.Cpu)]
    public async Task Real_profiles_of_the_sample_read_the_same_as_through_Google_Protobuf(ProfileKind kind)
    {
        using var temp = new TempDir("digest");
        var path = temp.Combine("p.pb.gz");
        await SampleService.FetchUnderLoadAsync(kind, path);

        var reference = PprofProfile.Load(path);
        Assert.That(reference.Samples, Is.Not.Empty);
        AssertSame(path, reference);
    }

    [Test]
    public void Inlined_frames_recursion_unpacked_stacks_and_odd_locations_read_the_same()
    {
        using var temp = new TempDir("digest");
        var p = NewProfile(("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes"));
        p.DefaultSampleType = Str(p, "alloc_space");
        var main = Function(p, 1, "main.main");
        var handle = Function(p, 2, "main.handle");
        var inlined = Function(p, 3, "strings.Repeat");
        var recurse = Function(p, 4, "main.walk");
        Function(p, 5, "main.handle");
        p.Location.Add(new Location { Id = 10, Line = { new Line { FunctionId = main } } });
        // One location, two frames: strings.Repeat inlined into main.handle (innermost first, as Go writes them).
        p.Location.Add(new Location { Id = 11, Line = { new Line { FunctionId = inlined }, new Line { FunctionId = handle } } });
        p.Location.Add(new Location { Id = 12, Line = { new Line { FunctionId = recurse } } });
        p.Location.Add(new Location { Id = 13, Address = 0x4a5f0 });
        p.Location.Add(new Location { Id = 14, Line = { new Line { FunctionId = 5 } } });
        p.Sample.Add(new Sample { LocationId = { 11, 10 }, Value = { 3, 300, 1, 100 } });
        p.Sample.Add(new Sample { LocationId = { 12, 12, 12, 10 }, Value = { 2, 200, 0, 0 } });
        p.Sample.Add(new Sample { LocationId = { 13, 11, 10 }, Value = { 1, 64, 1, 64 } });
        p.Sample.Add(new Sample { LocationId = { 14, 10 }, Value = { 5, 500, 5, 500 } });
        p.Sample.Add(new Sample { LocationId = { 999, 12, 10 }, Value = { 1, 8, 1, 8 } });
        p.Sample.Add(new Sample { Value = { 4, 40, 4, 40 } });
        p.Sample.Add(new Sample { LocationId = { 999 }, Value = { 1, 1, 1, 1 } });
        var path = temp.Combine("odd.pb.gz");
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        {
            p.WriteTo(gz);
            // runtime/pprof writes one or two location ids unpacked (one field each): a sample written that way.
            var extra = new CodedOutputStream(gz, leaveOpen: true);
            var sample = new MemoryStream();
            var inner = new CodedOutputStream(sample);
            inner.WriteTag(1, WireFormat.WireType.Varint);
            inner.WriteUInt64(12);
            inner.WriteTag(1, WireFormat.WireType.Varint);
            inner.WriteUInt64(10);
            inner.WriteTag(2, WireFormat.WireType.LengthDelimited);
            inner.WriteBytes(ByteString.CopyFrom(Packed(7, 70, 7, 70)));
            inner.Flush();
            extra.WriteTag(2, WireFormat.WireType.LengthDelimited);
            extra.WriteBytes(ByteString.CopyFrom(sample.ToArray()));
            extra.Flush();
        }

        var reference = PprofProfile.Load(path);
        Assert.That(reference.Samples, Has.Count.EqualTo(8), "the unpacked sample is read by the reference decoder too");
        Assert.That(reference.Samples[^1].Stack, Is.EqualTo(new[] { "main.main", "main.walk" }));
        var digest = AssertSame(path, reference);
        Assert.That(digest.DefaultSampleIndex, Is.EqualTo(1));
        var walk = digest.Tops[0].Single(f => f.Name == "main.walk");
        Assert.That((walk.Flat, walk.Cumulative), Is.EqualTo((2L + 1 + 7, 2L + 1 + 7)), "recursion counts a sample once in cum; a missing leaf location leaves its caller the leaf");
        Assert.That(digest.Tops[0].Single(f => f.Name == "main.handle").Cumulative, Is.EqualTo(3 + 1 + 5), "two functions of one name are one row");
        Assert.That(digest.Trees[1].Children.Select(c => c.Name), Does.Contain("(no stack)"));
    }

    [Test]
    public void A_large_profile_keeps_only_the_frames_a_flame_graph_draws_and_draws_the_same_graph()
    {
        using var temp = new TempDir("digest");
        var p = NewProfile(("samples", "count"), ("cpu", "nanoseconds"));
        const int functions = 3_000;
        for (ulong id = 1; id <= functions; id++)
        {
            Function(p, id, $"pkg{id % 17}.F{id}");
            p.Location.Add(new Location { Id = id, Line = { new Line { FunctionId = id } } });
        }

        var random = new Random(7);
        for (var s = 0; s < 40_000; s++)
        {
            var depth = random.Next(3, 30);
            var stack = new ulong[depth];
            var frame = (ulong)random.Next(1, 6);
            for (var i = depth - 1; i >= 0; i--)
            {
                stack[i] = frame;
                frame = ((frame * 31) + (ulong)random.Next(0, 4)) % functions + 1;
            }

            var n = random.Next(1, 50);
            p.Sample.Add(new Sample { LocationId = { stack }, Value = { n, n * 10_000_000L } });
        }

        var path = temp.Combine("big.pb.gz");
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        {
            p.WriteTo(gz);
        }

        var reference = PprofProfile.Load(path);
        var digest = AssertSame(path, reference);
        Assert.That(Count(digest.Trees[1]), Is.LessThan(Count(reference.Tree(1)) / 10), "frames too narrow to draw are not kept");
    }

    [Test]
    public void Negative_values_of_a_difference_profile_merge_every_frame_as_the_reference_does()
    {
        using var temp = new TempDir("digest");
        var p = NewProfile(("cpu", "nanoseconds"));
        for (ulong id = 1; id <= 400; id++)
        {
            Function(p, id, $"main.F{id}");
            p.Location.Add(new Location { Id = id, Line = { new Line { FunctionId = id } } });
        }

        // pprof -diff_base writes the base's samples negated: a caller can hold less than one of its callees.
        var random = new Random(3);
        for (var s = 0; s < 5_000; s++)
        {
            var depth = random.Next(2, 9);
            var stack = Enumerable.Range(0, depth).Select(_ => (ulong)random.Next(1, 401)).ToArray();
            p.Sample.Add(new Sample { LocationId = { stack }, Value = { random.Next(-1_000_000, 4_000_000) } });
        }

        var path = temp.Combine("diff.pb.gz");
        File.WriteAllBytes(path, Gzip(p.ToByteArray()));
        var reference = PprofProfile.Load(path);
        Assert.That(reference.Samples.Any(x => x.Values[0] < 0), Is.True);
        AssertSame(path, reference);
    }

    [Test]
    public void A_truncated_or_foreign_file_is_named_as_such()
    {
        using var temp = new TempDir("digest");
        var p = NewProfile(("samples", "count"));
        Function(p, 1, "main.main");
        p.Location.Add(new Location { Id = 1, Line = { new Line { FunctionId = 1 } } });
        for (var i = 0; i < 2_000; i++) p.Sample.Add(new Sample { LocationId = { 1 }, Value = { i } });
        var raw = p.ToByteArray();
        var whole = Gzip(raw);
        var cut = temp.Combine("cut.pb.gz");
        File.WriteAllBytes(cut, whole[..(whole.Length / 2)]);
        Assert.That(() => ProfileDigest.Read(cut, 10, (_, _) => []), Throws.InstanceOf<InvalidDataException>().Or.InstanceOf<EndOfStreamException>());

        // A gzip stream whose content is cut inside a sample: the gzip is whole, the proto is not.
        var cutProto = temp.Combine("cutproto.pb.gz");
        File.WriteAllBytes(cutProto, Gzip(raw[..(raw.Length - 3)]));
        Assert.That(() => ProfileDigest.Read(cutProto, 10, (_, _) => []), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("profile.proto"));

        var html = temp.Combine("page.pb.gz");
        File.WriteAllBytes(html, Gzip("<html><body>404 page not found</body></html>"u8.ToArray()));
        Assert.That(() => ProfileDigest.Read(html, 10, (_, _) => []), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not a profile"));
    }

    /// <summary>Asserts totals, tops of every type and the flame graph of every type equal the reference's; returns the digest.</summary>
    private static ProfileDigest AssertSame(string path, PprofProfile reference)
    {
        var all = Enumerable.Range(0, reference.SampleTypes.Count).ToArray();
        var digest = ProfileDigest.Read(path, 15, (_, _) => all);
        Assert.That(digest.SampleTypes, Is.EqualTo(reference.SampleTypes));
        Assert.That(digest.DefaultSampleIndex, Is.EqualTo(reference.DefaultSampleIndex));
        Assert.That(digest.SampleCount, Is.EqualTo(reference.Samples.Count));
        var tops = reference.TopFunctionsOfEachType(15);
        foreach (var t in all)
        {
            Assert.That(digest.Totals[t], Is.EqualTo(reference.Total(t)), $"total of {reference.SampleTypes[t]}");
            Assert.That(digest.Tops[t], Is.EqualTo(tops[t]), $"top functions by {reference.SampleTypes[t]}");
            var unit = reference.SampleTypes[t].Unit;
            Assert.That(FlameGraph.Render(digest.Trees[t], "g", unit), Is.EqualTo(FlameGraph.Render(reference.Tree(t), "g", unit)), $"flame graph of {reference.SampleTypes[t]}");
        }

        return digest;
    }

    private static int Count(StackNode node) => 1 + node.Children.Sum(Count);

    private static Profile NewProfile(params (string Type, string Unit)[] types)
    {
        var p = new Profile();
        p.StringTable.Add(string.Empty);
        foreach (var (type, unit) in types) p.SampleType.Add(new GoDebug.Tasks.Profiling.Proto.ValueType { Type = Str(p, type), Unit = Str(p, unit) });
        return p;
    }

    private static ulong Function(Profile p, ulong id, string name)
    {
        p.Function.Add(new Function { Id = id, Name = Str(p, name) });
        return id;
    }

    private static long Str(Profile p, string s)
    {
        p.StringTable.Add(s);
        return p.StringTable.Count - 1;
    }

    private static byte[] Packed(params long[] values)
    {
        var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var v in values) output.WriteInt64(v);
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Gzip(byte[] raw)
    {
        var stream = new MemoryStream();
        using (var gz = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return stream.ToArray();
    }
}
