namespace Vcm.Api;

/// <summary>
/// `vcm login --web` trades the one-time code the manager sent to its loopback address, with the verifier only it
/// holds (the code was bound to the verifier's SHA-256), for an API token.
/// </summary>
public sealed record CliSignInRequest(string? Code, string? Verifier, string? Name);
