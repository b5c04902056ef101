namespace GoDebug.Tasks.Ci;

/// <summary>Stable codes of the GitHub Actions and matrix engine (GO7xxx).</summary>
internal static class CiCodes
{
    /// <summary>The step summary would pass GitHub's 1 MiB per-step limit; the rest was cut and a note says so.</summary>
    public const string SummaryTruncated = "GO7001";

    /// <summary>The pull request comment could not be written (read-only token, bad token, no such PR, rate limit); the summary holds the report instead.</summary>
    public const string CommentFailed = "GO7002";

    /// <summary>The base of the affected-module diff is not in the clone (shallow checkout) and fetching it failed.</summary>
    public const string BaseMissing = "GO7003";

    /// <summary>A changed shared file (go.work, a workflow, global.json …) marks every module and project affected.</summary>
    public const string SharedFileChanged = "GO7004";

    /// <summary>The installed dlv is older than Delve's latest release.</summary>
    public const string DelveBehind = "GO7005";

    /// <summary>The workspace (or the folder the matrix was asked from) is in no git checkout, so there is no history to plan from.</summary>
    public const string NotARepository = "GO7006";
}
