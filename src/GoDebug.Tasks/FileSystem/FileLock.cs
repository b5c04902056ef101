using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.FileSystem;

/// <summary>
/// A lock shared between processes (two `dotnet build`s, a Cake run beside an IDE build): an
/// exclusively opened lock file. The OS releases it when the holder dies, so a crash never leaves a
/// stale lock behind.
/// </summary>
internal sealed class FileLock : IAsyncDisposable, IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public string Path => _stream.Name;

    public static async Task<FileLock> AcquireAsync(string lockPath, IGoDebugLog? log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lockPath))!);
        var announced = false;
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new FileLock(stream);
            }
            catch (IOException)
            {
                if (!announced)
                {
                    log?.Info($"Waiting for another build that holds {lockPath} ...");
                    announced = true;
                }

                // No OS event tells us when another process closes a file; back off with a token-aware delay.
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
