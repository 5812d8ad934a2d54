namespace Vcm.Api;

/// <summary>
/// The answer to signing out: where the browser goes next to end the session at the identity provider too, or null
/// when the session did not come from one.
/// </summary>
public sealed record SignOutView(string? Logout);
