namespace Vcm.Api;

/// <summary>Registers one of the caller's SSH public keys (one OpenSSH line); named by its comment unless named.</summary>
public sealed record KeyAddRequest(string? PublicKey, string? Name);
