namespace Vcm.Agent.Linux.Storage;

/// <summary>A target as `tgtadm --op show --mode target` describes it: id, IQN, LUNs and ACL entries.</summary>
internal sealed record TgtTarget(int Tid, string Iqn, IReadOnlyList<TgtLun> Luns, IReadOnlyList<string> Acl);
