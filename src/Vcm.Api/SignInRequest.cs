namespace Vcm.Api;

/// <summary>
/// Signs in with a local account (POST /api/v1/session): an API token comes back; <see cref="Expires"/> like 12h
/// (default 12h, at most 30d). With <see cref="Web"/> a browser's session starts instead: its secret goes into an
/// HttpOnly cookie and the answer is a <see cref="SessionView"/>.
/// </summary>
public sealed record SignInRequest(string? User, string? Password, string? Name, string? Expires, bool? Web = null);
