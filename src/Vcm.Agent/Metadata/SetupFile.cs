using Vcm.Drivers.Network;

namespace Vcm.Agent.Metadata;

/// <summary>A gateway's setup.json: the cluster's DNS domain and subnet, and what its nodes set up among themselves.</summary>
public sealed record SetupFile(string Domain, string Subnet, GatewaySetup Setup);
