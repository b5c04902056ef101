namespace GoDebug.Tasks.Profiling;

/// <summary>One requested profile: where it went, how long it took, or why there is no file.</summary>
/// <param name="Kind">Which profile.</param>
/// <param name="Url">The URL fetched.</param>
/// <param name="File">The raw file's name inside the capture folder; null when it failed or was skipped.</param>
/// <param name="Bytes">Size of the raw file.</param>
/// <param name="Started">When the request started (UTC).</param>
/// <param name="DurationMs">How long the request took.</param>
/// <param name="Error">Why it failed (starts with its GO6xxx code), or null.</param>
/// <param name="Skipped">Why it was not captured without that being a failure (a profile the service does not offer), or null.</param>
public sealed record CapturedProfile(ProfileKind Kind, string Url, string? File, long Bytes, DateTimeOffset Started, double DurationMs, string? Error, string? Skipped = null)
{
    /// <summary>True when a validated file was written.</summary>
    public bool Succeeded => File is not null;
}

/// <summary>What a capture left behind.</summary>
/// <param name="Directory">The capture folder (<c>&lt;output&gt;/&lt;service&gt;/&lt;UTC timestamp&gt;</c>).</param>
/// <param name="ReportPath">Its report.html.</param>
/// <param name="Profiles">Every requested profile, captured or not.</param>
/// <param name="WallTime">Time from the first request to the last answer.</param>
public sealed record ProfileCaptureResult(string Directory, string ReportPath, IReadOnlyList<CapturedProfile> Profiles, TimeSpan WallTime)
{
    /// <summary>The comparison with an earlier capture (LeakGate), or null.</summary>
    public ProfileComparison? Comparison { get; init; }

    /// <summary>The profiles that failed (not the skipped ones).</summary>
    public IReadOnlyList<CapturedProfile> Failures => Profiles.Where(p => p.Error is not null).ToList();

    /// <summary>Path of a captured profile's raw file, or null.</summary>
    public string? PathOf(ProfileKind kind)
        => Profiles.FirstOrDefault(p => p.Kind == kind && p.File is not null) is { } p ? System.IO.Path.Combine(Directory, p.File!) : null;
}
