namespace Vcm.Manager.Agents;

/// <summary>How to reach the agent serving a host.</summary>
public sealed record AgentRoute(string AgentId, string Url, string Key);
