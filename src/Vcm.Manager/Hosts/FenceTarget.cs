namespace Vcm.Manager.Hosts;

/// <summary>The host to fence: its name, its address on the site's management network, and the site's name.</summary>
public sealed record FenceTarget(string Host, string Address, string Site);
