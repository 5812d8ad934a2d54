using System.Text.Json.Serialization;
using Vcm.Domain.Networking;
using Vcm.Domain.Sizes;

namespace Vcm.Domain.Clusters;

/// <summary>
/// A tenant's request for a virtual cluster, validated and normalised: the one shape of a cluster's spec. It is what
/// the store keeps (<see cref="ClusterSpecJson"/>), what the API shows, and what a peer site gets for a part; its JSON
/// uses the names and value syntax of the create request (<see cref="ClusterSpecInput"/>), so a shown spec can be sent
/// back as a request. A new field is added here, to the input and to the parser, and shows everywhere.
/// </summary>
public sealed record ClusterSpec
{
    public required string Name { get; init; }

    public required int Workers { get; init; }

    public bool Head { get; init; } = true;

    /// <summary>What every node gets.</summary>
    public required int Cpus { get; init; }

    public required ByteSize Memory { get; init; }

    public required ByteSize Disk { get; init; }

    /// <summary>The shared volume, or null for none.</summary>
    public ByteSize? Shared { get; init; }

    public required string Image { get; init; }

    public IReadOnlyList<string> Packages { get; init; } = [];

    public IReadOnlyList<string> SshKeys { get; init; } = [];

    /// <summary>What the cluster is set up as inside (e.g. a Slurm cluster).</summary>
    public ClusterRole Role { get; init; } = ClusterRole.None;

    /// <summary>How the packages reach the nodes: the cost model's choice, a layer, or installed at boot.</summary>
    public InstallMode Install { get; init; } = InstallMode.Auto;

    /// <summary>Files put onto the head node during the build.</summary>
    public IReadOnlyList<ClusterFile> Files { get; init; } = [];

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>Sites the cluster may use, with node counts when the request gave them; empty: the home site, spilling
    /// over to peers only what does not fit.</summary>
    public IReadOnlyList<SiteShare> Sites { get; init; } = [];

    public PlacementPolicy Policy { get; init; } = PlacementPolicy.Pack;

    public required Ipv4Subnet Subnet { get; init; }

    /// <summary>The rate limit of the cluster's VPN between sites; null for none.</summary>
    public BitRate? WanRate { get; init; }

    [JsonIgnore]
    public int NodeCount => Workers + (Head ? 1 : 0);

    /// <summary>The packages the nodes' layer holds: the tenant's and those its role needs, sorted, each once.</summary>
    public IReadOnlyList<string> LayerPackages() =>
        Packages.Concat(Role.Packages()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The same spec, its window moved to begin at <paramref name="start"/> (the start a flexible start chose).</summary>
    public ClusterSpec StartingAt(DateTimeOffset start) => this with { Start = start, End = start + (End - Start) };

    /// <summary>The nodes this spec asks for, in their canonical order: head first, then node-01, node-02 ….</summary>
    public IReadOnlyList<NodeName> NodeNames() => NodeName.For(Workers, Head);
}
