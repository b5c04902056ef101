using System.Text.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Workspace;

namespace GoDebug.Tasks.Tests.Workspace;

public class JsoncArraySpliceTests
{
    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly JsonObject Ours = new() { ["name"] = "Go: x", ["port"] = 1 };

    [Test]
    public void Empty_single_line_array_gets_our_element_and_the_rest_stays_byte_identical()
    {
        const string text = "{\n  \"version\": \"0.2.0\", // v\n  \"configurations\": []\n}\n";

        var result = JsoncArraySplice.Replace(text, "configurations", _ => false, [Ours])!;

        Assert.That(result, Is.EqualTo("{\n  \"version\": \"0.2.0\", // v\n  \"configurations\": [\n    {\n      \"name\": \"Go: x\",\n      \"port\": 1\n    }\n  ]\n}\n"));
    }

    [Test]
    public void Comment_markers_inside_strings_and_a_nested_key_of_the_same_name_are_not_mistaken()
    {
        const string text = """
            {
              "compounds": [{ "name": "c", "configurations": ["a // not a comment", "b /* nor this */"] }],
              "configurations": [
                /* kept */ { "name": "url http://x//y" },
                { "name": "Go: old" },
              ],
            }
            """;

        var result = JsoncArraySplice.Replace(text, "configurations", e => e.Contains("Go: ", StringComparison.Ordinal), [Ours])!;

        var node = JsonNode.Parse(result, documentOptions: Jsonc)!;
        Assert.That(node["compounds"]![0]!["configurations"]!.AsArray().Select(v => (string?)v), Is.EqualTo(new[] { "a // not a comment", "b /* nor this */" }));
        Assert.That(node["configurations"]!.AsArray().Select(c => (string?)c!["name"]), Is.EqualTo(new[] { "url http://x//y", "Go: x" }));
        Assert.That(result, Does.Contain("/* kept */ { \"name\": \"url http://x//y\" }"));
    }

    [Test]
    public void File_without_the_array_is_not_spliced()
    {
        Assert.That(JsoncArraySplice.Replace("{ \"version\": \"0.2.0\" }", "configurations", _ => false, [Ours]), Is.Null);
    }
}
