using System.Text.Json.Serialization;

namespace Vcm.Domain.Clusters;

/// <summary>
/// What a cluster is set up as inside, beyond the NFS-shared /home every Debian cluster with a head gets:
/// <see cref="Slurm"/> makes the head a Slurm controller and the workers Slurm nodes, with a munge key of the
/// cluster's own and a slurm.conf from its real node list.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClusterRole>))]
public enum ClusterRole
{
    [JsonStringEnumMemberName("none")]
    None,

    [JsonStringEnumMemberName("slurm")]
    Slurm,
}

public static class ClusterRoles
{
    public static string Text(this ClusterRole role) => role switch
    {
        ClusterRole.Slurm => "slurm",
        _ => "none",
    };

    /// <summary>The Debian packages a role needs on every node, added to the tenant's package set.</summary>
    public static IReadOnlyList<string> Packages(this ClusterRole role) => role switch
    {
        ClusterRole.Slurm => ["munge", "slurm-client", "slurmctld", "slurmd"],
        _ => [],
    };
}
