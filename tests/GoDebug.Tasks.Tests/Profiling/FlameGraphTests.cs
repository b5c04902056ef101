using System.Globalization;
using System.Xml.Linq;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

public class FlameGraphTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [TestCase(ProfileKind.Goroutine)]
    [TestCase(ProfileKind.Cpu)]
    [TestCase(ProfileKind.Allocs)]
    public async Task Flame_graphs_of_real_profiles_are_well_formed_and_their_widths_add_up_to_the_totals(ProfileKind kind)
    {
        using var temp = new TempDir("fg");
        var path = temp.Combine("p.pb.gz");
        await SampleService.FetchUnderLoadAsync(kind, path);

        // The total straight from the proto, not through the code under test's stack merging.
        var proto = PprofProfile.Decode(await File.ReadAllBytesAsync(path));
        var profile = PprofProfile.FromProto(proto);
        var index = profile.DefaultSampleIndex;
        var total = proto.Sample.Sum(s => s.Value[index]);
        Assert.That(total, Is.GreaterThan(0));

        var svg = FlameGraph.Render(profile.Tree(index), kind.ToString(), profile.SampleTypes[index].Unit);
        var doc = XDocument.Parse(svg);
        Assert.That(doc.Root!.Name, Is.EqualTo(Svg + "svg"));
        Assert.That(doc.Root.Attribute("data-total")!.Value, Is.EqualTo(total.ToString(CultureInfo.InvariantCulture)));
        var frames = doc.Descendants(Svg + "rect").Select(r => (
            Depth: int.Parse(r.Attribute("data-depth")!.Value, CultureInfo.InvariantCulture),
            Value: long.Parse(r.Attribute("data-value")!.Value, CultureInfo.InvariantCulture),
            Width: double.Parse(r.Attribute("width")!.Value, CultureInfo.InvariantCulture),
            Title: r.Parent!.Element(Svg + "title")!.Value)).ToList();
        Assert.That(frames[0].Depth, Is.Zero);
        Assert.That(frames[0].Value, Is.EqualTo(total));
        Assert.That(frames[0].Width, Is.EqualTo(FlameGraph.Width));
        Assert.That(frames.All(f => f.Title.Length > 0), Is.True, "every frame has hover text");

        var scale = FlameGraph.Width / total;
        foreach (var f in frames) Assert.That(f.Width, Is.EqualTo(f.Value * scale).Within(0.001), "width is proportional to value");

        // Frames come depth first; each caller's callees must fit in it, and the first level must fill the root.
        var stack = new List<(long Value, long Children)>();
        foreach (var f in frames)
        {
            while (stack.Count > f.Depth) Close(stack);
            if (stack.Count > 0) stack[^1] = (stack[^1].Value, stack[^1].Children + f.Value);
            stack.Add((f.Value, 0));
        }

        while (stack.Count > 1) Close(stack);
        var pruned = frames.Count(f => f.Width < 0.1);
        Assert.That(pruned, Is.Zero);
        Assert.That(stack[0].Children, Is.EqualTo(total), "the root's callees add up to the profile's total");

        static void Close(List<(long Value, long Children)> stack)
        {
            var done = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            Assert.That(done.Children, Is.LessThanOrEqualTo(done.Value), "callees never exceed their caller");
        }
    }

    [Test]
    public void The_differential_graph_colours_growth_red_and_shrinkage_blue_and_escapes_names()
    {
        var baseline = new StackNode("all");
        baseline.Add(["main.main", "main.grow"], 10);
        baseline.Add(["main.main", "main.shrink"], 50);
        var head = new StackNode("all");
        head.Add(["main.main", "main.grow"], 60);
        head.Add(["main.main", "main.shrink"], 10);
        head.Add(["main.main", "pkg.F[go.shape.int]<x&y>"], 5);

        var doc = XDocument.Parse(FlameGraph.RenderDiff(head, baseline, "diff", "count"));
        string Fill(string name) => doc.Descendants(Svg + "rect").Single(r => r.Attribute("data-name")!.Value == name).Attribute("fill")!.Value;
        Assert.That(Fill("main.grow"), Does.StartWith("rgb(255,"), "grew: red");
        Assert.That(Fill("main.shrink"), Does.EndWith(",255)"), "shrank: blue");
        var title = doc.Descendants(Svg + "rect").Single(r => r.Attribute("data-name")!.Value == "main.grow").Parent!.Element(Svg + "title")!.Value;
        Assert.That(title, Does.Contain("+50 vs base"));
        Assert.That(doc.Descendants(Svg + "rect").Any(r => r.Attribute("data-name")!.Value == "pkg.F[go.shape.int]<x&y>"), Is.True);
    }
}
