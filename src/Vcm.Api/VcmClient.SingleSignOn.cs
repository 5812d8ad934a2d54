namespace Vcm.Api;

public sealed partial class VcmClient
{
    /// <summary>POST /api/v1/session/cli: a one-time code from a single sign-on and its verifier, for an API token.</summary>
    public Task<TokenView> SignInWithCodeAsync(CliSignInRequest request, CancellationToken cancellationToken) =>
        SendAsync<TokenView>(Json(HttpMethod.Post, "api/v1/session/cli", request), cancellationToken);
}
