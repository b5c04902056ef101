using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GoDebug.Tasks.Debugging;

/// <summary>The two protocols a debugger client speaks to dlv's port, told apart by a connection's first bytes as dlv itself does.</summary>
internal enum ClientProtocol
{
    /// <summary>Delve's JSON-RPC 2 (dlv connect, GoLand): bare JSON objects, one after another.</summary>
    JsonRpc,

    /// <summary>The Debug Adapter Protocol (VS Code's dlv-dap): each message a <c>Content-Length</c> header and a JSON body.</summary>
    Dap,
}

/// <summary>A client or dlv sent bytes that are not a message of the protocol, or stopped in the middle of one.</summary>
internal sealed class ProtocolViolationException(string message) : Exception(message);

/// <summary>
/// Reads whole messages off a connection: JSON objects for JSON-RPC, header + body for DAP. A message started and not
/// finished within the idle limit, or bytes that cannot start one, end the connection (garbage must not hold a slot).
/// </summary>
internal sealed class MessageReader
{
    private const int MaxMessage = 64 * 1024 * 1024;
    private const int MaxHeader = 4096;
    private static readonly byte[] DapPrefix = Encoding.ASCII.GetBytes("Content-Length:");
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly Stream _stream;
    private readonly TimeSpan _partialTimeout;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public MessageReader(Stream stream, TimeSpan partialTimeout)
    {
        _stream = stream;
        _partialTimeout = partialTimeout;
    }

    /// <summary>Waits for the first bytes and says which protocol they begin; null when the peer closed before sending any.</summary>
    public async Task<ClientProtocol?> DetectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var first = data.IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0)
            {
                if (data[first] == (byte)'{') return ClientProtocol.JsonRpc;
                var seen = data[first..];
                var compared = Math.Min(seen.Length, DapPrefix.Length);
                if (!seen[..compared].SequenceEqual(DapPrefix.AsSpan(0, compared)))
                {
                    throw new ProtocolViolationException($"the first bytes ({Printable(seen)}) are neither a JSON-RPC object nor a DAP Content-Length header");
                }

                if (compared == DapPrefix.Length) return ClientProtocol.Dap;
            }

            if (!await FillAsync(partial: first >= 0, cancellationToken).ConfigureAwait(false)) return first >= 0 ? throw Truncated() : null;
        }
    }

    /// <summary>The next message's bytes (a JSON object, or a DAP body without its header); null at a clean end of the stream.</summary>
    public async Task<byte[]?> ReadAsync(ClientProtocol protocol, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (length, skip) = protocol == ClientProtocol.JsonRpc ? JsonObjectLength() : DapMessageLength();
            if (length > 0)
            {
                var message = _buffer.AsSpan(_start + skip, length - skip).ToArray();
                _start += length;
                return message;
            }

            var partial = _buffer.AsSpan(_start, _end - _start).IndexOfAnyExcept(" \t\r\n"u8) >= 0;
            if (!await FillAsync(partial, cancellationToken).ConfigureAwait(false)) return partial ? throw Truncated() : null;
        }
    }

    /// <summary>(bytes up to the end of the object, bytes of leading whitespace), or (0, 0) when it is not complete yet.</summary>
    private (int Length, int Skip) JsonObjectLength()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var first = data.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0) return (0, 0);
        if (data[first] != (byte)'{') throw new ProtocolViolationException($"expected a JSON object, got {Printable(data[first..])}");
        var reader = new Utf8JsonReader(data[first..], isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || !reader.TrySkip()) return (0, 0);
        }
        catch (JsonException ex)
        {
            throw new ProtocolViolationException($"not valid JSON: {ex.Message}");
        }

        return (first + (int)reader.BytesConsumed, first);
    }

    private (int Length, int Skip) DapMessageLength()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var headerEnd = data.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            if (data.Length > MaxHeader) throw new ProtocolViolationException("a DAP header longer than 4 KiB");
            return (0, 0);
        }

        int? contentLength = null;
        foreach (var line in Encoding.ASCII.GetString(data[..headerEnd]).Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxMessage)
            {
                contentLength = n;
            }
        }

        if (contentLength is not { } body) throw new ProtocolViolationException($"a DAP header without a valid Content-Length: {Printable(data[..headerEnd])}");
        var total = headerEnd + HeaderEnd.Length + body;
        return data.Length >= total ? (total, headerEnd + HeaderEnd.Length) : (0, 0);
    }

    /// <summary>Reads more bytes; false at the end of the stream. While a message is half read, waiting longer than the limit is a violation.</summary>
    private async Task<bool> FillAsync(bool partial, CancellationToken cancellationToken)
    {
        if (_start > 0 && _start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            var used = _end - _start;
            if (used >= MaxMessage) throw new ProtocolViolationException("a message larger than 64 MiB");
            var bigger = used * 2 <= _buffer.Length ? _buffer : new byte[_buffer.Length * 2];
            Array.Copy(_buffer, _start, bigger, 0, used);
            _buffer = bigger;
            _start = 0;
            _end = used;
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (partial) idle.CancelAfter(_partialTimeout);
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolViolationException($"a message left unfinished for {_partialTimeout.TotalSeconds:0.#} s");
        }

        _end += read;
        return read > 0;
    }

    private static ProtocolViolationException Truncated() => new("the connection ended in the middle of a message");

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var shown = bytes[..Math.Min(bytes.Length, 24)];
        var text = new StringBuilder();
        foreach (var b in shown) text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        return $"'{text}{(bytes.Length > shown.Length ? "..." : string.Empty)}'";
    }
}

/// <summary>Reads and writes the messages themselves.</summary>
internal static class Messages
{
    /// <summary>The message as a JSON object; anything else is a protocol violation.</summary>
    public static JsonObject ParseObject(byte[] raw, string protocol)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(raw) as JsonObject ?? throw new ProtocolViolationException($"a {protocol} message that is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ProtocolViolationException($"a {protocol} message that is not valid JSON: {ex.Message}");
        }
    }
}

/// <summary>Writes DAP messages with their header.</summary>
internal static class DapFraming
{
    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        var framed = new byte[header.Length + body.Length];
        header.CopyTo(framed, 0);
        body.CopyTo(framed.AsSpan(header.Length));
        return framed;
    }
}
