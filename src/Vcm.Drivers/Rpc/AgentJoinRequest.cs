using Vcm.Drivers.Hosts;

namespace Vcm.Drivers.Rpc;

/// <summary>
/// An agent asking a site's manager to take it in. <see cref="AgentKey"/> is the secret the manager will present
/// when it calls the agent, and the agent when it reports; <see cref="Token"/> is the site's join token.
/// </summary>
public sealed record AgentJoinRequest(string Token, string AgentId, string AgentKey, string Url, IReadOnlyList<HostFacts> Hosts);
