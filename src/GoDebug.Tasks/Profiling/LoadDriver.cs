using System.Net;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Profiling;

/// <summary>Sends GET requests to a service so profiles have something to show and leaks something to grow from.</summary>
internal static class LoadDriver
{
    /// <summary>
    /// Sends <paramref name="requests"/> GETs of <paramref name="paths"/> (round robin), <paramref name="concurrency"/> at a
    /// time, and fails on the first answer that is not 2xx. The client's connections are closed at the end, so the
    /// server's per-connection goroutines do not count as growth.
    /// </summary>
    public static async Task SendAsync(Uri baseUrl, IReadOnlyList<string> paths, int requests, int concurrency, CancellationToken cancellationToken)
    {
        if (paths.Count == 0 || requests <= 0) return;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency });
        var next = -1;
        var workers = Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var url = new Uri(baseUrl, paths[i % paths.Count]);
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var body = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
                    throw new GoDebugException($"Load request GET {url} returned {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? $": {body[..Math.Min(body.Length, 200)]}" : string.Empty)}.");
                }
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>Keeps sending requests until cancelled (background load while a CPU profile or trace runs); errors end it quietly.</summary>
    public static async Task SustainAsync(Uri baseUrl, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var i = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var response = await http.GetAsync(new Uri(baseUrl, paths[i++ % paths.Count]), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (HttpRequestException)
        {
            // The service went away; the capture reports that itself.
        }
    }
}
