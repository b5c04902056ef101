using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoDebug.Tasks.Tests.Profiling;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that answers every request with one scripted behaviour: it stands for
/// what sits at a wrong URL (a login page, a proxy's 404) or a connection that breaks, which the real sample
/// never does on its own.
/// </summary>
internal sealed class ForeignServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NetworkStream, CancellationToken, Task> _respond;
    private readonly Task _loop;

    public ForeignServer(Func<NetworkStream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

    /// <summary>Request header blocks received, for asserting what the client sent.</summary>
    public List<string> Requests { get; } = [];

    public static ForeignServer Answer(int status, string contentType, string body, params string[] headers)
        => new((stream, ct) => WriteAsync(stream, status, contentType, Encoding.UTF8.GetBytes(body), headers, ct));

    public static async Task WriteAsync(NetworkStream stream, int status, string contentType, byte[] body, string[] headers, CancellationToken ct, int? announcedLength = null)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: {contentType}\r\nContent-Length: {announcedLength ?? body.Length}\r\nConnection: close\r\n");
        foreach (var h in headers) head.Append(h).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                lock (Requests) Requests.Add(request.ToString());
                await _respond(stream, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // The client gave up (a timeout test); nothing to answer.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
