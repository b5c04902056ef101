using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Toolchain;

/// <summary>
/// HTTP for the toolchain installer: the release index and archive downloads with progress,
/// a length check and SHA-256 verification before anything is extracted.
/// </summary>
internal static class GoDownloader
{
    /// <summary>Time allowed for response headers, and for any single read of a body to make progress.</summary>
    internal static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    // One client for the process: connection pooling, and no socket exhaustion when many builds call us.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static string BaseUrl(string? configured)
    {
        var value = !string.IsNullOrWhiteSpace(configured) ? configured
            : Environment.GetEnvironmentVariable("GO_DOWNLOAD_BASE_URL") is { Length: > 0 } env ? env
            : "https://go.dev";
        return value.TrimEnd('/');
    }

    public static async Task<string> GetStringAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(url, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StallTimeout);
        try
        {
            return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            throw new GoDebugException($"Download of {url} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Streams <paramref name="url"/> into <paramref name="destination"/>, then checks its length and
    /// SHA-256. The caller owns (and deletes) the destination file whatever happens.
    /// </summary>
    public static async Task DownloadVerifiedAsync(string url, string destination, string expectedSha256, bool plainOutput, IGoDebugLog log, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(url, cancellationToken).ConfigureAwait(false);
        var total = response.Content.Headers.ContentLength;
        long received = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var progress = new DownloadProgress(url, total, plainOutput || Console.IsOutputRedirected, log);
        GoDebugException BrokeOff(Exception ex)
            => new($"Download of {url} is truncated: the connection broke off after {received} of {total?.ToString(CultureInfo.InvariantCulture) ?? "?"} bytes: {ex.Message}", ex);

        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            throw BrokeOff(ex);
        }

        await using (body.ConfigureAwait(false))
        {
            try
            {
                await using var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                var buffer = new byte[81920];
                while (true)
                {
                    using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    stall.CancelAfter(StallTimeout);
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new GoDebugException($"Download of {url} stalled: no data for {StallTimeout.TotalSeconds:0} s after {received} bytes.");
                    }
                    catch (Exception ex) when (IsTransport(ex, cancellationToken))
                    {
                        throw BrokeOff(ex);
                    }

                    if (read == 0) break;
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    sha.AppendData(buffer, 0, read);
                    received += read;
                    progress.Report(received);
                }
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Reads already became 'broke off' above; what is left is the local file (a full disk, a read-only cache).
                throw new GoDebugException($"Download of {url}: cannot write {destination}: {ex.Message}", ex);
            }
        }

        if (total is not null && received != total)
        {
            throw new GoDebugException($"Download of {url} is truncated: got {received} of {total} bytes.");
        }

        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (!string.Equals(actual, expectedSha256.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new GoDebugException($"Checksum mismatch for {url}: the index says sha256 {expectedSha256}, the file has {actual}. Nothing was installed.");
        }

        log.Verbose($"Verified sha256 {actual} of {url}.");
    }

    private static async Task<HttpResponseMessage> SendAsync(string url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GoDebugException($"Download of {url} timed out after {StallTimeout.TotalSeconds:0} s waiting for a response.");
        }
        catch (HttpRequestException ex)
        {
            throw new GoDebugException($"Download of {url} failed: {ex.Message}", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            response.Dispose();
            throw new GoDebugException($"Download of {url} failed: HTTP {status}.");
        }

        return response;
    }

    private static bool IsTransport(Exception ex, CancellationToken cancellationToken)
        => ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested;

    /// <summary>Bytes of total at most every 10% (5% on a terminal), so logs stay short.</summary>
    private sealed class DownloadProgress(string url, long? total, bool plain, IGoDebugLog log)
    {
        private const long UnknownTotalStep = 16L * 1024 * 1024;
        private readonly int _percentStep = plain ? 10 : 5;
        private long _nextMark;

        public void Report(long received)
        {
            if (received < _nextMark) return;
            if (total is > 0)
            {
                var percent = (int)(received * 100 / total.Value);
                log.Info(string.Create(CultureInfo.InvariantCulture, $"Downloading {url}: {received:N0} of {total.Value:N0} bytes ({percent}%)"));
                var nextPercent = ((percent / _percentStep) + 1) * _percentStep;
                _nextMark = (long)Math.Ceiling(total.Value * nextPercent / 100.0);
            }
            else
            {
                log.Info(string.Create(CultureInfo.InvariantCulture, $"Downloading {url}: {received:N0} bytes"));
                _nextMark = received + UnknownTotalStep;
            }
        }
    }
}
