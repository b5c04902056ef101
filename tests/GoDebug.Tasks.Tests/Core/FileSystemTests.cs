using GoDebug.Tasks.FileSystem;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Core;

public class FileSystemTests
{
    [Test]
    public void WriteTextIfChanged_leaves_identical_content_and_its_mtime_alone()
    {
        using var dir = new TempDir();
        var path = dir.Combine("out.txt");
        Assert.That(AtomicFile.WriteTextIfChanged(path, "a\n"), Is.True);
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.That(AtomicFile.WriteTextIfChanged(path, "a\n"), Is.False);
        Assert.That(File.GetLastWriteTimeUtc(path), Is.EqualTo(stamp));
        Assert.That(AtomicFile.WriteTextIfChanged(path, "b\n"), Is.True);
        Assert.That(File.ReadAllText(path), Is.EqualTo("b\n"));
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1), "no temp file left beside the target");
    }

    [Test]
    public async Task FileLock_excludes_a_second_holder_until_released()
    {
        using var dir = new TempDir();
        var lockPath = dir.Combine("x.lock");
        var first = await FileLock.AcquireAsync(lockPath, null, CancellationToken.None);
        var second = FileLock.AcquireAsync(lockPath, null, CancellationToken.None);
        await Task.Delay(200);
        Assert.That(second.IsCompleted, Is.False, "second acquire must wait while the first holds the lock");

        await first.DisposeAsync();
        await using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(acquired.Path, Is.EqualTo(lockPath));
    }

    [Test]
    public async Task FileLock_wait_honours_cancellation()
    {
        using var dir = new TempDir();
        var lockPath = dir.Combine("x.lock");
        await using var first = await FileLock.AcquireAsync(lockPath, null, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.That(async () => await FileLock.AcquireAsync(lockPath, null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
