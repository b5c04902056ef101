using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Ci;

/// <summary>
/// A GitHub REST API on 127.0.0.1 (HttpListener) with the shapes Octokit reads: issue comments listed in
/// pages with a Link header, created with POST, edited with PATCH, and releases/latest. A test can make any
/// route answer with a status, body and headers of its choice to play a refusal.
/// </summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly object _gate = new();
    private long _nextId = 1000;

    public FakeGitHub()
    {
        Port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Comments of the one pull request, in order.</summary>
    public List<(long Id, string Body)> Comments { get; } = [];

    /// <summary>Every request as "METHOD path?query" and its Authorization header.</summary>
    public List<(string Request, string? Authorization)> Requests { get; } = [];

    /// <summary>When set, answers instead of the normal route: (status, JSON body, headers) or null to carry on.</summary>
    public Func<HttpListenerRequest, (int Status, string Body, Dictionary<string, string>? Headers)?>? Override { get; set; }

    public string LatestDelveTag { get; set; } = "v1.25.2";

    public int PageSize { get; set; } = 2;

    public void AddComment(string body)
    {
        lock (_gate) Comments.Add((_nextId++, body));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        lock (_gate) Requests.Add(($"{request.HttpMethod} {request.Url.PathAndQuery}", request.Headers["Authorization"]));

        if (Override?.Invoke(request) is { } forced)
        {
            Respond(context, forced.Status, forced.Body, forced.Headers);
            return;
        }

        var segments = path.Trim('/').Split('/');
        switch (request.HttpMethod, segments)
        {
            case ("GET", ["repos", var o, var r, "issues", var n, "comments"]):
            {
                var page = int.TryParse(request.QueryString["page"], out var p) ? p : 1;
                List<(long Id, string Body)> all;
                lock (_gate) all = [.. Comments];
                var slice = all.Skip((page - 1) * PageSize).Take(PageSize).Select(c => Comment(c.Id, c.Body, o, r, n)).ToArray();
                var headers = new Dictionary<string, string>();
                if (page * PageSize < all.Count) headers["Link"] = $"<{Url}/repos/{o}/{r}/issues/{n}/comments?page={page + 1}>; rel=\"next\"";
                Respond(context, 200, new JsonArray(slice).ToJsonString(), headers);
                return;
            }

            case ("POST", ["repos", var o, var r, "issues", var n, "comments"]):
            {
                var text = JsonNode.Parse(body)!["body"]!.GetValue<string>();
                long id;
                lock (_gate)
                {
                    id = _nextId++;
                    Comments.Add((id, text));
                }

                Respond(context, 201, Comment(id, text, o, r, n).ToJsonString(), null);
                return;
            }

            case ("PATCH", ["repos", var o, var r, "issues", "comments", var idText]):
            {
                var id = long.Parse(idText, System.Globalization.CultureInfo.InvariantCulture);
                var text = JsonNode.Parse(body)!["body"]!.GetValue<string>();
                lock (_gate)
                {
                    var i = Comments.FindIndex(c => c.Id == id);
                    if (i < 0)
                    {
                        Respond(context, 404, "{\"message\":\"Not Found\"}", null);
                        return;
                    }

                    Comments[i] = (id, text);
                }

                Respond(context, 200, Comment(id, text, o, r, "1").ToJsonString(), null);
                return;
            }

            case ("GET", ["repos", "go-delve", "delve", "releases", "latest"]):
                Respond(context, 200, new JsonObject
                {
                    ["id"] = 1, ["tag_name"] = LatestDelveTag, ["name"] = LatestDelveTag, ["draft"] = false, ["prerelease"] = false,
                    ["html_url"] = $"https://github.com/go-delve/delve/releases/tag/{LatestDelveTag}",
                    ["created_at"] = "2025-01-01T00:00:00Z", ["published_at"] = "2025-01-01T00:00:00Z", ["assets"] = new JsonArray(),
                }.ToJsonString(), null);
                return;

            default:
                Respond(context, 404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}", null);
                return;
        }
    }

    private JsonObject Comment(long id, string body, string owner, string repo, string number) => new()
    {
        ["id"] = id,
        ["node_id"] = "IC_" + id,
        ["url"] = $"{Url}/repos/{owner}/{repo}/issues/comments/{id}",
        ["html_url"] = $"https://github.com/{owner}/{repo}/pull/{number}#issuecomment-{id}",
        ["body"] = body,
        ["user"] = new JsonObject { ["login"] = "github-actions[bot]", ["id"] = 41898282, ["type"] = "Bot" },
        ["created_at"] = "2025-01-01T00:00:00Z",
        ["updated_at"] = "2025-01-01T00:00:00Z",
        ["author_association"] = "NONE",
    };

    private static void Respond(HttpListenerContext context, int status, string body, Dictionary<string, string>? headers)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        foreach (var (k, v) in headers ?? []) response.Headers[k] = v;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
