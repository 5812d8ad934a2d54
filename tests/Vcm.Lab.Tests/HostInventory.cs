namespace Vcm.Lab.Tests;

/// <summary>What exists on one lab host, as the machine itself shows it (not as vcm says).</summary>
public sealed record HostInventory(
    string Host,
    IReadOnlyList<string> Links,
    IReadOnlyList<string> Processes,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> NftRules,
    IReadOnlyList<string> IscsiTargets)
{
    /// <summary>The storage host's tgtd stays up while its agent runs (it is the host's iSCSI service); its targets count.</summary>
    public HostInventory WithoutTgtd() => this with { Processes = Processes.Where(p => p != "tgtd").ToList() };

    public string Describe() =>
        $"{Host}: links [{string.Join(", ", Links)}]; processes [{string.Join(", ", Processes)}]; files [{string.Join(", ", Files)}]; " +
        $"nft [{string.Join(" | ", NftRules)}]; iscsi [{string.Join(", ", IscsiTargets)}]";
}
