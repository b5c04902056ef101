using System.IO.Compression;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.Profiling;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>Each way a URL can fail to be a pprof endpoint gets its own error naming the endpoint, and leaves no file.</summary>
public class ValidationTests
{
    private static async Task<GoDebugException> FetchFailsAsync(ForeignServer server, ProfileKind kind, TimeSpan? timeout = null, ProfileCaptureSettings? settings = null)
    {
        using var temp = new TempDir("val");
        var log = new RecordingLog();
        var host = SampleService.Host(log);
        settings = (settings ?? new ProfileCaptureSettings()) with { BaseUrl = server.BaseUrl, RequestTimeout = timeout ?? TimeSpan.FromSeconds(10) };
        using var fetcher = new PprofFetcher(PprofEndpoint.Create(settings, host.Environment), host, TimeSpan.FromSeconds(2));
        var ex = Assert.ThrowsAsync<GoDebugException>(() => fetcher.FetchAsync(kind, 1, temp.Combine("out.pb.gz"), CancellationToken.None))!;
        Assert.That(ex.Message, Does.Contain($"{server.BaseUrl}debug/pprof/{ProfileKinds.Endpoint(kind)}"), "the error names the endpoint");
        Assert.That(Directory.GetFileSystemEntries(temp.Path), Is.Empty, "nothing half-written stays on disk");
        return ex;
    }

    [Test]
    public async Task A_404_without_pprof_text_is_an_HTTP_status_error()
    {
        await using var server = ForeignServer.Answer(404, "text/plain; charset=utf-8", "404 page not found\n");
        var ex = await FetchFailsAsync(server, ProfileKind.Heap);
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.HttpStatus).And.Contain("404").And.Contain("404 page not found"));
    }

    [Test]
    public async Task Pprofs_own_error_text_is_passed_on()
    {
        await using var server = ForeignServer.Answer(404, "text/plain; charset=utf-8", "Unknown profile\n", "X-Go-Pprof: 1", "X-Content-Type-Options: nosniff");
        var ex = await FetchFailsAsync(server, ProfileKind.GoroutineLeak);
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.PprofError).And.Contain("pprof answered 404").And.Contain("Unknown profile"));
    }

    [Test]
    public async Task An_HTML_login_page_is_a_foreign_page_named_by_its_title()
    {
        await using var server = ForeignServer.Answer(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Sign in - Corp SSO</title></head><body>login</body></html>");
        var ex = await FetchFailsAsync(server, ProfileKind.Goroutine);
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.ForeignPage).And.Contain("Sign in - Corp SSO"));
    }

    [Test]
    public async Task A_trace_endpoint_answering_something_else_is_rejected()
    {
        await using var server = ForeignServer.Answer(200, "application/octet-stream", "not a trace at all, just bytes");
        var ex = await FetchFailsAsync(server, ProfileKind.Trace);
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.Corrupt).And.Contain("go 1.NN trace"));
    }

    [Test]
    public async Task A_body_that_stalls_times_out()
    {
        await using var server = new ForeignServer(async (stream, ct) =>
        {
            await ForeignServer.WriteAsync(stream, 200, "application/octet-stream", [0x1f, 0x8b], [], ct, announcedLength: 1000);
            await Task.Delay(Timeout.Infinite, ct);
        });
        var ex = await FetchFailsAsync(server, ProfileKind.Heap, TimeSpan.FromSeconds(1));
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.Timeout).And.Contain("within 1 s"));
    }

    [Test]
    public async Task A_connection_closed_mid_body_is_truncated()
    {
        var profile = await RealHeapProfileAsync();
        await using var server = new ForeignServer((stream, ct) => ForeignServer.WriteAsync(stream, 200, "application/octet-stream", profile[..(profile.Length / 2)], [], ct, announcedLength: profile.Length));
        var ex = await FetchFailsAsync(server, ProfileKind.Heap);
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.Corrupt).And.Contain("truncated"));
    }

    [Test]
    public async Task A_complete_response_holding_a_cut_gzip_stream_is_corrupt()
    {
        var profile = await RealHeapProfileAsync();
        var cut = profile[..(profile.Length - 9)];
        await using var server = new ForeignServer((stream, ct) => ForeignServer.WriteAsync(stream, 200, "application/octet-stream", cut, [], ct));
        var ex = await FetchFailsAsync(server, ProfileKind.Heap);
        Assert.That(ex.Message, Does.StartWith(ProfilingCodes.Corrupt).And.Contain("does not decode"));
    }

    [Test]
    public async Task The_bearer_token_is_sent_but_never_logged()
    {
        var profile = await RealHeapProfileAsync();
        await using var server = new ForeignServer((stream, ct) => ForeignServer.WriteAsync(stream, 200, "application/octet-stream", profile, [], ct));
        using var temp = new TempDir("tok");
        var log = new RecordingLog();
        var host = SampleService.Host(log) with { Environment = SampleService.Host().Environment.With("PPROF_TOKEN", "s3cret-value") };
        var settings = new ProfileCaptureSettings
        {
            BaseUrl = server.BaseUrl,
            TokenVariable = "PPROF_TOKEN",
            Profiles = [ProfileKind.Heap],
            OutputDirectory = temp.Path,
            Headers = new Dictionary<string, string> { ["X-Tenant"] = "blue" },
            CallGraphs = false,
        };
        var result = await ProfileCapture.CaptureAsync(settings, host, null, CancellationToken.None);
        Assert.That(result.Failures, Is.Empty);
        Assert.That(server.Requests.Single(), Does.Contain("Authorization: Bearer s3cret-value").And.Contain("X-Tenant: blue"));
        Assert.That(log.Text, Does.Not.Contain("s3cret-value"));
        Assert.That(File.ReadAllText(Path.Combine(result.Directory, "meta.json")) + File.ReadAllText(result.ReportPath), Does.Not.Contain("s3cret-value"));
    }

    [Test]
    public void A_missing_token_variable_is_a_setting_error()
    {
        var host = SampleService.Host() with { Environment = SampleService.Host().Environment.With("PPROF_TOKEN", null) };
        var ex = Assert.Throws<GoDebugException>(() => PprofEndpoint.Create(new ProfileCaptureSettings { BaseUrl = "http://127.0.0.1:1", TokenVariable = "PPROF_TOKEN" }, host.Environment));
        Assert.That(ex!.Message, Does.StartWith(ProfilingCodes.BadSetting).And.Contain("PPROF_TOKEN"));
        Assert.That(ex.Hint?.Settings.Single().Setting, Is.EqualTo(GoSetting.ProfileTokenVariable));
    }

    /// <summary>A genuine gzip profile.proto body from the running sample, to cut into broken ones.</summary>
    private static async Task<byte[]> RealHeapProfileAsync()
    {
        using var http = new HttpClient();
        var body = await http.GetByteArrayAsync(new Uri(SampleService.BaseUrl, "debug/pprof/heap"));
        Assert.That(body[..2], Is.EqualTo(new byte[] { 0x1f, 0x8b }));
        using var gz = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        gz.CopyTo(Stream.Null);
        return body;
    }
}
