namespace Vcm.Manager.Auth.Oidc;

/// <summary>
/// Where `vcm login --web` listens: http on a loopback address with a port (RFC 8252 7.3), never anywhere else, so a
/// one-time code cannot be sent to another machine.
/// </summary>
public static class LoopbackRedirect
{
    public static bool IsValid(string? url) =>
        url is { Length: <= 512 }
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == "http"
        && !uri.IsDefaultPort
        && uri.Host is "127.0.0.1" or "[::1]" or "localhost"
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>A PKCE-style challenge: base64url (no padding) of a SHA-256, 43 characters.</summary>
    public static bool IsChallenge(string? challenge) =>
        challenge is { Length: 43 } && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A path on this manager to go back to: one leading '/', no scheme, no host, no control characters.</summary>
    public static bool IsLocalPath(string? path) =>
        path is { Length: > 0 and <= 2048 }
        && path[0] == '/'
        && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal)
        && !path.Any(c => char.IsControl(c) || c == '\\');
}
