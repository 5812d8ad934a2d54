namespace Vcm.Cli.Infrastructure;

/// <summary>One sign-in: a manager's URL and the API token for it, with who it was when signed in.</summary>
public sealed record CliContext(string Server, string Token, string? User = null);
