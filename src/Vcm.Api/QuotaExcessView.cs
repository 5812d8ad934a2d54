namespace Vcm.Api;

/// <summary>One quota a request exceeds: its name, its limit, what the tenant holds at the worst moment (or in the month), what was asked, and when (sizes in MiB).</summary>
public sealed record QuotaExcessView(string Quota, long Limit, long Used, long Asked, string When);
