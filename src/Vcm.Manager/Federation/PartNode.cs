namespace Vcm.Manager.Federation;

/// <summary>A node of a part, as its home assigned it.</summary>
public sealed record PartNode(string Name, string Role, int Index, string Mac, string Ip, string Token);
