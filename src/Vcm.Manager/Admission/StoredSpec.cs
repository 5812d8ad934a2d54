using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Networking;
using Vcm.Domain.Sizes;

namespace Vcm.Manager.Admission;

/// <summary>A cluster spec as kept in the clusters.spec column: plain values only.</summary>
public sealed record StoredSpec
{
    public required int Workers { get; init; }

    public required bool Head { get; init; }

    public required int Cpus { get; init; }

    public required long MemoryMb { get; init; }

    public required long DiskMb { get; init; }

    public long? SharedMb { get; init; }

    public required string Image { get; init; }

    public IReadOnlyList<string> Packages { get; init; } = [];

    public IReadOnlyList<string> SshKeys { get; init; } = [];

    public IReadOnlyList<string> Sites { get; init; } = [];

    public required string Policy { get; init; }

    public int? WanRateMbit { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ApiJson.Options);

    public static string Serialize(ClusterSpec spec) => JsonSerializer.Serialize(
        new StoredSpec
        {
            Workers = spec.Workers,
            Head = spec.Head,
            Cpus = spec.Node.Cpus,
            MemoryMb = spec.Node.Memory.Mebibytes,
            DiskMb = spec.Node.Disk.Mebibytes,
            SharedMb = spec.Shared?.Mebibytes,
            Image = spec.Image,
            Packages = spec.Packages,
            SshKeys = spec.SshKeys,
            Sites = spec.Sites.Select(s => s.ToString()).ToList(),
            Policy = spec.Policy.ToString().ToLowerInvariant(),
            WanRateMbit = spec.WanRateMbit,
        },
        ApiJson.Options);

    public static StoredSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<StoredSpec>(json, ApiJson.Options) ?? throw new InvalidOperationException("empty cluster spec");

    /// <summary>The full domain spec, given the columns kept outside the JSON.</summary>
    public ClusterSpec ToSpec(string name, DateTimeOffset start, DateTimeOffset end, string subnet) => new()
    {
        Name = name,
        Workers = Workers,
        Head = Head,
        Node = new NodeSize(Cpus, ByteSize.FromMebibytes(MemoryMb), ByteSize.FromMebibytes(DiskMb)),
        Shared = SharedMb is { } shared ? ByteSize.FromMebibytes(shared) : null,
        Image = Image,
        Packages = Packages,
        SshKeys = SshKeys,
        Start = start,
        End = end,
        Sites = Sites.Select(ParseShare).ToList(),
        Policy = Policy == "spread" ? PlacementPolicy.Spread : PlacementPolicy.Pack,
        WanRateMbit = WanRateMbit,
        Subnet = Ipv4Subnet.Parse(subnet),
    };

    private static SiteShare ParseShare(string text)
    {
        var parts = text.Split(':');
        return new SiteShare(parts[0], parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public ClusterSpecView ToView() => new()
    {
        Workers = Workers,
        Head = Head,
        Cpus = Cpus,
        Memory = ByteSize.FromMebibytes(MemoryMb).ToString(),
        Disk = ByteSize.FromMebibytes(DiskMb).ToString(),
        Shared = SharedMb is { } shared ? ByteSize.FromMebibytes(shared).ToString() : null,
        Image = Image,
        Packages = Packages,
        SshKeys = SshKeys.Count,
        Sites = Sites,
        Policy = Policy,
    };
}
