namespace GoDebug.Tasks.Doctor;

/// <summary>Stable finding codes; documentation and CI filters refer to them, so never renumber.</summary>
internal static class DoctorCodes
{
    public const string NoGo = "GODR001";
    public const string GoTooOld = "GODR002";
    public const string RequirementUnreadable = "GODR003";
    public const string GoWorkOutside = "GODR004";
    public const string GoWorkOff = "GODR005";
    public const string GoFlagsMod = "GODR006";
    public const string StaleGopathCopy = "GODR007";
    public const string ModCacheInWorkspace = "GODR008";
    public const string DlvMissing = "GODR009";
    public const string DlvTooOld = "GODR010";
    public const string DlvUnusable = "GODR011";
    public const string ToolchainDownload = "GODR012";
    public const string GoBinNotOnPath = "GODR013";
    public const string InotifyLimit = "GODR014";
    public const string GoEnvFailed = "GODR015";
}
