using Vcm.Domain.Clusters;

namespace Vcm.Manager.Peers;

/// <summary>A node of a part, as its home assigned it.</summary>
public sealed record PartNode(string Name, NodeRole Role, int Index, string Mac, string Ip, string Token);
