using System.Reflection;
using GoDebug.Tasks.Hosting;
using Octokit;

namespace GoDebug.Tasks.Ci;

/// <summary>
/// An Octokit client for the API the job runs against: <c>$GITHUB_API_URL</c> as Actions sets it (github.com,
/// GitHub Enterprise Server's <c>/api/v3</c>, a data-residency host), used exactly as given, so a test can
/// point it at a server on 127.0.0.1.
/// </summary>
internal static class GitHubApi
{
    public const string DefaultApiUrl = "https://api.github.com";

    public static Uri BaseAddress(EnvironmentSnapshot environment)
    {
        var url = environment.Get("GITHUB_API_URL") ?? DefaultApiUrl;
        // A relative request path must land under the base path (/api/v3/...), which needs the trailing slash.
        return new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
    }

    /// <summary>
    /// Octokit's <see cref="GitHubClient"/> constructors rewrite any host other than github.com to
    /// <c>host/api/v3</c>; a <see cref="Connection"/> keeps the address as it is.
    /// </summary>
    public static GitHubClient Create(Uri baseAddress, string? token, TimeSpan timeout)
    {
        var header = new ProductHeaderValue("GoDebug.Tasks", typeof(GitHubApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");
        var connection = token is null
            ? new Connection(header, baseAddress)
            : new Connection(header, baseAddress, new Octokit.Internal.InMemoryCredentialStore(new Credentials(token)));
        connection.SetRequestTimeout(timeout);
        return new GitHubClient(connection);
    }
}
