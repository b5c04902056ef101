using GoDebug.Tasks.Tests.Infrastructure;
using GoDebug.Tasks.Tests.Packaging;

namespace GoDebug.Tasks.Tests;

/// <summary>Removes the temp folders tests share across the whole run (every namespace below this one), once the run ends.</summary>
[SetUpFixture]
public sealed class TestRunCleanup
{
    [OneTimeTearDown]
    public void RemoveSharedTempFolders()
    {
        TempDir.DeleteTree(SampleBinaries.Folder);
        TempDir.DeleteTree(BuildScript.IsolatedCache);
        PackedFeed.Remove();
    }
}
