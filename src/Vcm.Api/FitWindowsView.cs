namespace Vcm.Api;

/// <summary>
/// Where a request of <see cref="Duration"/> fits at the site, for starts from <see cref="From"/> to <see cref="To"/>
/// (GET /api/v1/capacity/fit); for a tenant's user (<see cref="Tenant"/>), only where it also fits the tenant's quota.
/// </summary>
public sealed record FitWindowsView(string Site, DateTimeOffset From, DateTimeOffset To, string Duration, IReadOnlyList<FitWindowView> Windows, string? Tenant = null);
