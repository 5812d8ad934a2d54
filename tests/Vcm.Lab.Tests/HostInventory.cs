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
    public string Describe() =>
        $"{Host}: links [{string.Join(", ", Links)}]; processes [{string.Join(", ", Processes)}]; files [{string.Join(", ", Files)}]; " +
        $"nft [{string.Join(" | ", NftRules)}]; iscsi [{string.Join(", ", IscsiTargets)}]";
}
