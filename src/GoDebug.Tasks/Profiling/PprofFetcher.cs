using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using GoDebug.Tasks.Diagnostics;
using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Hosting;

namespace GoDebug.Tasks.Profiling;

/// <summary>One profile that arrived, passed validation and sits on disk.</summary>
internal sealed record FetchedProfile(ProfileKind Kind, Uri Url, string Path, long Bytes, DateTimeOffset Started, TimeSpan Duration);

/// <summary>
/// Fetches one profile over HTTP and keeps it only if it is what it claims: status 200 and gzip-compressed
/// profile.proto for pprof profiles, the <c>go 1.NN trace</c> header for traces. Everything else becomes an
/// error naming the endpoint, and the destination is written only after the whole body checked out.
/// </summary>
internal sealed partial class PprofFetcher : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly PprofEndpoint _endpoint;
    private readonly GoDebugHost _host;
    private readonly TimeSpan _startupTimeout;
    private readonly HttpClient _http;

    public PprofFetcher(PprofEndpoint endpoint, GoDebugHost host, TimeSpan startupTimeout)
    {
        _endpoint = endpoint;
        _host = host;
        _startupTimeout = startupTimeout;
        // Timeouts come from our own token (derived from the requested seconds), not HttpClient's single global one.
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseProxy = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public PprofEndpoint Endpoint => _endpoint;

    public async Task<FetchedProfile> FetchAsync(ProfileKind kind, int seconds, string destination, CancellationToken cancellationToken)
    {
        var url = _endpoint.UrlOf(kind, seconds);
        var timeout = _endpoint.TimeoutOf(kind, seconds);
        var started = _host.Time.GetUtcNow();
        var clock = _host.Time.GetTimestamp();
        var body = await GetWithRetryAsync(url, timeout, cancellationToken).ConfigureAwait(false);
        Validate(kind, url, body);
        AtomicFile.WriteAllBytes(destination, body);
        return new FetchedProfile(kind, url, destination, body.Length, started, _host.Time.GetElapsedTime(clock));
    }

    private async Task<byte[]> GetWithRetryAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startedWaiting = _host.Time.GetTimestamp();
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                return await GetOnceAsync(url, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (IsRefused(ex))
            {
                var waited = _host.Time.GetElapsedTime(startedWaiting);
                if (waited >= _startupTimeout)
                {
                    throw ProfilingCodes.Error(
                        ProfilingCodes.ServiceDown,
                        $"Nothing accepts connections at {url.GetLeftPart(UriPartial.Authority)} (GET {url} refused for {waited.TotalSeconds:0.#} s). Is the service running, with net/http/pprof imported?",
                        FixHint.Set(GoSetting.ProfileUrl));
                }

                _host.Log.Verbose($"{url}: connection refused, retrying in {backoff.TotalMilliseconds:0} ms (the service may still be starting).");
                await Task.Delay(backoff, _host.Time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private static bool IsRefused(HttpRequestException ex)
        => ex.HttpRequestError == HttpRequestError.ConnectionError
           && ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private async Task<byte[]> GetOnceAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, _host.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            using var request = _endpoint.Request(url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(url, response, linked.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw StatusError(url, response, body);
            }

            if (IsHtml(response, body))
            {
                throw ProfilingCodes.Error(ProfilingCodes.ForeignPage, $"GET {url} returned an HTML page{TitleOf(body)}, not a profile: the URL points at something other than net/http/pprof (a login page, a proxy, another service).", FixHint.Set(GoSetting.ProfileUrl));
            }

            return body;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw ProfilingCodes.Error(ProfilingCodes.Timeout, $"GET {url} did not finish within {timeout.TotalSeconds:0.#} s.", FixHint.Set(GoSetting.ProfileTimeout));
        }
    }

    private static async Task<byte[]> ReadBodyAsync(Uri url, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ResponseEnded || ex.InnerException is IOException)
        {
            var expected = response.Content.Headers.ContentLength is { } length ? $" of the {length} bytes announced" : string.Empty;
            throw ProfilingCodes.Error(ProfilingCodes.Corrupt, $"GET {url}: the connection closed before the whole body{expected} arrived (truncated response); nothing was saved.");
        }
        catch (IOException)
        {
            throw ProfilingCodes.Error(ProfilingCodes.Corrupt, $"GET {url}: the connection closed before the whole body arrived (truncated response); nothing was saved.");
        }
    }

    private static GoDebugException StatusError(Uri url, HttpResponseMessage response, byte[] body)
    {
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.Headers.TryGetValues("X-Go-Pprof", out _))
        {
            var text = Encoding.UTF8.GetString(body).Trim();
            var hint = text.Contains("WriteTimeout", StringComparison.Ordinal) ? FixHint.Set(GoSetting.ProfileSeconds)
                : text.Contains("Unknown profile", StringComparison.OrdinalIgnoreCase) ? FixHint.Set(GoSetting.ProfileSet)
                : null;
            return ProfilingCodes.Error(ProfilingCodes.PprofError, $"GET {url}: pprof answered {status}: {text}", hint);
        }

        if (IsHtml(response, body))
        {
            return ProfilingCodes.Error(ProfilingCodes.ForeignPage, $"GET {url} returned {status} with an HTML page{TitleOf(body)}: net/http/pprof is not served at this URL.", FixHint.Set(GoSetting.ProfileUrl));
        }

        var snippet = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200))).Trim();
        return ProfilingCodes.Error(ProfilingCodes.HttpStatus, $"GET {url} returned {status}{(snippet.Length > 0 ? $": {snippet}" : string.Empty)}.", FixHint.Set(GoSetting.ProfileUrl));
    }

    private static bool IsHtml(HttpResponseMessage response, byte[] body)
    {
        if (response.Content.Headers.ContentType?.MediaType is { } media && media.Contains("html", StringComparison.OrdinalIgnoreCase)) return true;
        var start = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 64))).TrimStart();
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static string TitleOf(byte[] body)
    {
        var match = TitleRegex().Match(Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 4096))));
        return match.Success ? $" titled \"{WebUtility.HtmlDecode(match.Groups[1].Value.Trim())}\"" : string.Empty;
    }

    /// <summary>Checks the whole body: a pprof profile must decompress and decode; a trace must start with its header.</summary>
    internal static void Validate(ProfileKind kind, Uri url, byte[] body)
    {
        if (kind == ProfileKind.Trace)
        {
            if (TraceHeader.TryParse(body) is null)
            {
                throw ProfilingCodes.Error(ProfilingCodes.Corrupt, $"GET {url}: the body ({body.Length} bytes) does not start with a Go execution trace header ('go 1.NN trace').");
            }

            return;
        }

        if (body.Length < 2 || body[0] != 0x1f || body[1] != 0x8b)
        {
            var text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 120))).Trim();
            throw ProfilingCodes.Error(ProfilingCodes.ForeignPage, $"GET {url}: the body ({body.Length} bytes) is not a gzip-compressed profile{(text.Length > 0 ? $"; it starts with: {text}" : string.Empty)}.", FixHint.Set(GoSetting.ProfileUrl));
        }

        try
        {
            PprofProfile.Decode(body);
        }
        catch (Exception ex) when (ex is InvalidDataException or Google.Protobuf.InvalidProtocolBufferException or EndOfStreamException)
        {
            throw ProfilingCodes.Error(ProfilingCodes.Corrupt, $"GET {url}: the profile ({body.Length} bytes) does not decode, it is truncated or corrupt: {ex.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<title[^>]*>([^<]{1,120})</title>", RegexOptions.IgnoreCase)]
    private static partial Regex TitleRegex();
}
