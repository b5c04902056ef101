using System.Net.Http.Headers;
using GoDebug.Tasks.Diagnostics;

namespace GoDebug.Tasks.Profiling;

/// <summary>The pprof index of a service and the requests to send it (URL, headers, timeout per kind).</summary>
internal sealed class PprofEndpoint
{
    private readonly ProfileCaptureSettings _settings;
    private readonly string? _token;

    private PprofEndpoint(Uri index, ProfileCaptureSettings settings, string? token)
    {
        Index = index;
        _settings = settings;
        _token = token;
    }

    /// <summary>The <c>/debug/pprof/</c> URL, ending in a slash.</summary>
    public Uri Index { get; }

    /// <summary>The service's address for folder names: <c>127.0.0.1_8080</c>.</summary>
    public string ServiceName => $"{Index.Host}_{Index.Port}";

    public static PprofEndpoint Create(ProfileCaptureSettings settings, Hosting.EnvironmentSnapshot environment)
    {
        if (!Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ProfilingCodes.Error(ProfilingCodes.BadSetting, $"The service URL '{settings.BaseUrl}' is not an http(s) URL.", FixHint.Set(GoSetting.ProfileUrl, "http://127.0.0.1:8080"));
        }

        if (settings.Seconds is < 1 or > 3600)
        {
            throw ProfilingCodes.Error(ProfilingCodes.BadSetting, $"Profile seconds {settings.Seconds} is outside 1–3600.", FixHint.Set(GoSetting.ProfileSeconds, "5"));
        }

        var path = uri.AbsolutePath;
        var at = path.IndexOf("/debug/pprof", StringComparison.Ordinal);
        path = at >= 0 ? path[..at] : path.TrimEnd('/');
        var index = new UriBuilder(uri) { Path = path + "/debug/pprof/", Query = string.Empty, Fragment = string.Empty }.Uri;

        string? token = null;
        if (!string.IsNullOrEmpty(settings.TokenVariable))
        {
            token = environment.Get(settings.TokenVariable)
                ?? throw ProfilingCodes.Error(ProfilingCodes.BadSetting, $"The token variable {settings.TokenVariable} is not set in this environment.", FixHint.Set(GoSetting.ProfileTokenVariable));
        }

        return new PprofEndpoint(index, settings, token);
    }

    public Uri UrlOf(ProfileKind kind, int seconds)
    {
        var query = kind switch
        {
            ProfileKind.Cpu or ProfileKind.Trace => $"?seconds={seconds}",
            ProfileKind.Heap when _settings.HeapGc => "?gc=1",
            _ => string.Empty,
        };
        return new Uri(Index, ProfileKinds.Endpoint(kind) + query);
    }

    /// <summary>Instant profiles get the request timeout; timed ones their seconds plus it, since the server answers only at the end.</summary>
    public TimeSpan TimeoutOf(ProfileKind kind, int seconds)
        => ProfileKinds.IsTimed(kind) ? TimeSpan.FromSeconds(seconds) + _settings.RequestTimeout : _settings.RequestTimeout;

    public HttpRequestMessage Request(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in _settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        return request;
    }
}
