namespace Vcm.Api;

public sealed record SiteView(string Name, string? Url, bool Local, int Hosts, int VniFirst, int VniLast);
