using System.Net.Http.Json;

namespace Vcm.Api;

/// <summary>Tenants, users, keys, tokens and whoami.</summary>
public sealed partial class VcmClient
{
    public Task<WhoAmIView> WhoAmIAsync(CancellationToken cancellationToken) =>
        SendAsync<WhoAmIView>(new HttpRequestMessage(HttpMethod.Get, "api/v1/whoami"), cancellationToken);

    public Task<TenantView> CreateTenantAsync(TenantCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<TenantView>(Json(HttpMethod.Post, "api/v1/tenants", request), cancellationToken);

    public Task<IReadOnlyList<TenantView>> ListTenantsAsync(CancellationToken cancellationToken) =>
        ListAllAsync<TenantView>("api/v1/tenants", cancellationToken);

    public Task<TenantView> GetTenantAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<TenantView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/tenants/{Uri.EscapeDataString(name)}"), cancellationToken);

    public Task<TenantView> SetQuotaAsync(string tenant, string quota, CancellationToken cancellationToken) =>
        SendAsync<TenantView>(Json(HttpMethod.Put, $"api/v1/tenants/{Uri.EscapeDataString(tenant)}/quota", new QuotaRequest(quota)), cancellationToken);

    public Task DeleteTenantAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/tenants/{Uri.EscapeDataString(name)}"), cancellationToken);

    public Task<UserView> CreateUserAsync(UserCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<UserView>(Json(HttpMethod.Post, "api/v1/users", request), cancellationToken);

    public Task<IReadOnlyList<UserView>> ListUsersAsync(string? tenant, CancellationToken cancellationToken) =>
        ListAllAsync<UserView>(tenant is null ? "api/v1/users" : $"api/v1/users?tenant={Uri.EscapeDataString(tenant)}", cancellationToken);

    public Task<UserView> GetUserAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<UserView>(new HttpRequestMessage(HttpMethod.Get, $"api/v1/users/{Uri.EscapeDataString(name)}"), cancellationToken);

    public Task<UserView> SetRoleAsync(string user, string role, CancellationToken cancellationToken) =>
        SendAsync<UserView>(Json(HttpMethod.Put, $"api/v1/users/{Uri.EscapeDataString(user)}/role", new RoleRequest(role)), cancellationToken);

    /// <summary>Sets (null: removes) a user's password for local sign-in.</summary>
    public Task SetPasswordAsync(string user, string? password, CancellationToken cancellationToken) =>
        SendAsync(Json(HttpMethod.Put, $"api/v1/users/{Uri.EscapeDataString(user)}/password", new PasswordRequest(password)), cancellationToken);

    /// <summary>Signs in with a local account: a new API token (needs no token of its own).</summary>
    public Task<TokenView> SignInAsync(SignInRequest request, CancellationToken cancellationToken) =>
        SendAsync<TokenView>(Json(HttpMethod.Post, "api/v1/session", request), cancellationToken);

    public Task RemoveUserAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/users/{Uri.EscapeDataString(name)}"), cancellationToken);

    public Task<IReadOnlyList<UserKeyView>> ListKeysAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<UserKeyView>>(new HttpRequestMessage(HttpMethod.Get, "api/v1/keys"), cancellationToken);

    public Task<UserKeyView> AddKeyAsync(KeyAddRequest request, CancellationToken cancellationToken) =>
        SendAsync<UserKeyView>(Json(HttpMethod.Post, "api/v1/keys", request), cancellationToken);

    public Task RemoveKeyAsync(string nameOrFingerprint, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/keys/{Uri.EscapeDataString(nameOrFingerprint)}"), cancellationToken);

    public Task<TokenView> CreateTokenAsync(TokenCreateRequest request, CancellationToken cancellationToken) =>
        SendAsync<TokenView>(Json(HttpMethod.Post, "api/v1/tokens", request), cancellationToken);

    public Task<IReadOnlyList<TokenView>> ListTokensAsync(string? user, bool all, CancellationToken cancellationToken) =>
        ListAllAsync<TokenView>(all ? "api/v1/tokens?all=true" : user is null ? "api/v1/tokens" : $"api/v1/tokens?user={Uri.EscapeDataString(user)}", cancellationToken);

    public Task RevokeTokenAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/tokens/{Uri.EscapeDataString(id)}"), cancellationToken);

    public Task<IReadOnlyList<AuditView>> ListAuditAsync(string? tenant, string? since, int? limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (tenant is not null)
        {
            query.Add("tenant=" + Uri.EscapeDataString(tenant));
        }

        if (since is not null)
        {
            query.Add("since=" + Uri.EscapeDataString(since));
        }

        if (limit is not null)
        {
            query.Add("limit=" + limit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return SendAsync<IReadOnlyList<AuditView>>(new HttpRequestMessage(HttpMethod.Get, "api/v1/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : "")), cancellationToken);
    }

    private static HttpRequestMessage Json<T>(HttpMethod method, string path, T body) =>
        new(method, path) { Content = JsonContent.Create(body, options: ApiJson.Options) };
}
