using GoDebug.Tasks.Doctor;
using GoDebug.Tasks.Tests.Infrastructure;

namespace GoDebug.Tasks.Tests.Doctor;

public class WorkspaceScanTests
{
    [Test]
    public void Modules_are_named_as_go_reads_them_and_a_go_mod_go_rejects_is_no_module()
    {
        using var dir = new TempDir();
        var good = dir.Write("good/go.mod", "// comment\nmodule \"example.com/good\" // quoted, as go allows\n\ngo 1.22\n");
        dir.Write("broken/go.mod", "module example.com/broken\n\nrequire example.com/dep latest\n");
        dir.Write("nomodule/go.mod", "go 1.22\n");
        var scan = WorkspaceScan.Run(dir.Path, null, CancellationToken.None);
        Assert.That(scan.Modules.Select(m => (m.Path, m.GoMod)), Is.EqualTo(new[] { ("example.com/good", good) }));
        Assert.That(scan.DirectoryCount, Is.EqualTo(4), "a rejected go.mod still leaves its folder counted for watchers");
    }
}
