namespace Vcm.Drivers.Rpc;

/// <summary>
/// The site took the agent in: its name, the hosts registered, and — when the agent sent a signing request — the
/// agent's certificate and the site's CA certificate (PEM), with which it serves and calls over mutual TLS.
/// </summary>
public sealed record AgentJoinResponse(string Site, IReadOnlyList<string> Hosts, string? Certificate = null, string? Authority = null);
