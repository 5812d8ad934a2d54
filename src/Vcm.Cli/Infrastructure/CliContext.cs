namespace Vcm.Cli.Infrastructure;

/// <summary>
/// One sign-in: a manager's URL and the API token for it, with who it was when signed in, and — for a manager on HTTPS —
/// the site's CA certificate (PEM) pinned at login, which alone is trusted for that server.
/// </summary>
public sealed record CliContext(string Server, string Token, string? User = null, string? Ca = null);
