namespace GoDebug.Tasks.Toolchain;

/// <summary>The Go toolchain later steps use.</summary>
/// <param name="GoExecutable">Absolute path of <c>go</c>.</param>
/// <param name="GoRoot">Its GOROOT.</param>
/// <param name="Version">What <c>go version</c> reported.</param>
/// <param name="Source">Where it came from (cache, path, download, apt).</param>
/// <param name="Environment">Variables every later go invocation gets (GOROOT, PATH, GOTOOLCHAIN=local).</param>
public sealed record GoToolchainResult(
    string GoExecutable,
    string GoRoot,
    GoVersion Version,
    GoSource Source,
    IReadOnlyDictionary<string, string?> Environment)
{
    internal GoTool ToGoTool() => new(GoExecutable, Version, Environment);
}
