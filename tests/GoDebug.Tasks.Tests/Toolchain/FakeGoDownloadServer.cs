using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GoDebug.Tasks.Toolchain;

namespace GoDebug.Tasks.Tests.Toolchain;

/// <summary>How the fake server sends one file.</summary>
internal enum Delivery
{
    Whole,
    /// <summary>Announces the full Content-Length, sends half, closes.</summary>
    Truncated,
    /// <summary>Announces the full Content-Length, sends half, then waits until the client goes away.</summary>
    StallAfterHalf,
}

/// <summary>
/// go.dev's download endpoints on 127.0.0.1 (plain HTTP/1.1 over a TcpListener): <c>/dl/?mode=json</c>
/// returns the index the test set, <c>/dl/NAME</c> returns a file the test registered, anything else is a 404.
/// </summary>
internal sealed class FakeGoDownloadServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (byte[] Body, Delivery Delivery)> _files = new(StringComparer.Ordinal);
    private readonly List<object> _releases = [];
    private readonly Task _loop;
    private int _indexRequests;
    private int _archiveRequests;

    public FakeGoDownloadServer()
    {
        _listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _loop = AcceptLoopAsync();
    }

    public string BaseUrl { get; }

    public int IndexRequests => Volatile.Read(ref _indexRequests);

    public int ArchiveRequests => Volatile.Read(ref _archiveRequests);

    /// <summary>Completes when a <see cref="Delivery.StallAfterHalf"/> file has sent its first half.</summary>
    public TaskCompletionSource StallReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, archive responses wait until this many index requests arrived (to force overlap).</summary>
    public int HoldArchivesUntilIndexRequests { get; set; }

    private TaskCompletionSource IndexCountReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds a release to the index; the file is served only when <paramref name="body"/> is given.</summary>
    public string AddRelease(string version, byte[]? body, bool stable = true, Delivery delivery = Delivery.Whole, string? sha256 = null, GoPlatform? platform = null, string kind = "archive")
    {
        var p = platform ?? GoPlatform.Current;
        var fileName = $"go{version}.{p.Os}-{p.Arch}.tar.gz";
        var content = body ?? [];
        if (body is not null) _files[fileName] = (body, delivery);
        _releases.Add(new
        {
            version = "go" + version,
            stable,
            files = new[]
            {
                new { filename = $"go{version}.src.tar.gz", os = "", arch = "", version = "go" + version, sha256 = new string('0', 64), size = 1L, kind = "source" },
                new { filename = fileName, os = p.Os, arch = p.Arch, version = "go" + version, sha256 = sha256 ?? Convert.ToHexStringLower(SHA256.HashData(content)), size = (long)content.Length, kind },
            },
        });
        return fileName;
    }

    /// <summary>A tar.gz laid out like a Go release: go/bin/go is a script that reports <paramref name="version"/>.</summary>
    public static byte[] GoArchive(string version, Action<TarWriter>? extra = null)
    {
        var script = $$"""
            #!/bin/sh
            case "$1" in
              version) echo "go version go{{version}} linux/amd64" ;;
              env) shift
                for v in "$@"; do
                  case "$v" in
                    GOROOT) echo "$GOROOT" ;;
                    GOPATH) echo "$HOME/go" ;;
                    GOMODCACHE) echo "$HOME/go/pkg/mod" ;;
                    GOCACHE) echo "$HOME/.cache/go-build" ;;
                    *) echo "" ;;
                  esac
                done ;;
              *) echo "go $1: unknown command" >&2; exit 2 ;;
            esac
            """;
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "go/") { Mode = (UnixFileMode)0x1ED });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "go/bin/") { Mode = (UnixFileMode)0x1ED });
            tar.WriteEntry(File("go/VERSION", $"go{version}\n", 0x1A4));
            tar.WriteEntry(File("go/bin/go", script.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n", 0x1ED));
            extra?.Invoke(tar);
        }

        return buffer.ToArray();
    }

    public static PaxTarEntry File(string name, string content, int mode)
        => new(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)mode, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var target = await ReadRequestTargetAsync(stream);
            if (target.StartsWith("/dl/?", StringComparison.Ordinal))
            {
                var count = Interlocked.Increment(ref _indexRequests);
                if (HoldArchivesUntilIndexRequests > 0 && count >= HoldArchivesUntilIndexRequests) IndexCountReached.TrySetResult();
                await RespondAsync(stream, "200 OK", "application/json", JsonSerializer.SerializeToUtf8Bytes(_releases), Delivery.Whole);
            }
            else if (target.StartsWith("/dl/", StringComparison.Ordinal) && _files.TryGetValue(Uri.UnescapeDataString(target[4..]), out var file))
            {
                Interlocked.Increment(ref _archiveRequests);
                if (HoldArchivesUntilIndexRequests > 0) await IndexCountReached.Task.WaitAsync(TimeSpan.FromSeconds(20), _stop.Token);
                await RespondAsync(stream, "200 OK", "application/gzip", file.Body, file.Delivery);
            }
            else
            {
                await RespondAsync(stream, "404 Not Found", "text/plain", Encoding.UTF8.GetBytes("not found\n"), Delivery.Whole);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or TimeoutException)
        {
            // The client went away (cancellation test) or the server is stopping.
        }
    }

    private static async Task<string> ReadRequestTargetAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0) throw new IOException("client closed before sending a request");
            head.Append((char)buffer[0]);
        }

        return head.ToString().Split(' ')[1];
    }

    private async Task RespondAsync(NetworkStream stream, string status, string contentType, byte[] body, Delivery delivery)
    {
        var header = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
        var half = body.Length / 2;
        await stream.WriteAsync(body.AsMemory(0, delivery == Delivery.Whole ? body.Length : half), _stop.Token);
        await stream.FlushAsync(_stop.Token);
        if (delivery == Delivery.StallAfterHalf)
        {
            StallReached.TrySetResult();
            // Hold the connection open until the client cancels (its close ends this read) or the test ends.
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, _stop.Token);
        }
    }
}
