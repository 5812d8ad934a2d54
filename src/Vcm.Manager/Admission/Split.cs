using Vcm.Domain.Clusters;

namespace Vcm.Manager.Admission;

/// <summary>Which of a cluster's nodes this site places, and which each peer site is asked for.</summary>
public sealed record Split(IReadOnlyList<NodeName> Local, IReadOnlyDictionary<string, IReadOnlyList<NodeName>> Remote)
{
    /// <summary>Every node here.</summary>
    public static Split AllHere(IReadOnlyList<NodeName> nodes) => new(nodes, new Dictionary<string, IReadOnlyList<NodeName>>());

    /// <summary>
    /// The split a spec with counts asks for: <paramref name="here"/>'s count first (head first), then each peer's in
    /// the order the spec lists them.
    /// </summary>
    public static Split Fixed(ClusterSpec spec, string here)
    {
        var names = spec.NodeNames();
        var local = spec.Sites.First(s => s.Site == here).Count!.Value;
        var remote = new Dictionary<string, IReadOnlyList<NodeName>>(StringComparer.Ordinal);
        var next = local;
        foreach (var share in spec.Sites.Where(s => s.Site != here))
        {
            remote[share.Site] = names.Skip(next).Take(share.Count!.Value).ToList();
            next += share.Count!.Value;
        }

        return new Split(names.Take(local).ToList(), remote);
    }
}
