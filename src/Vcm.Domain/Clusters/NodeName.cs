using System.Globalization;

namespace Vcm.Domain.Clusters;

/// <summary>A node's name and role, and its index in the cluster (0 for the head, 1.. for workers).</summary>
public sealed record NodeName(string Name, NodeRole Role, int Index)
{
    public const string HeadName = "head";

    public static string WorkerName(int index) =>
        "node-" + index.ToString(index < 100 ? "00" : "0", CultureInfo.InvariantCulture);

    public static IReadOnlyList<NodeName> For(int workers, bool head)
    {
        var names = new List<NodeName>(workers + 1);
        if (head)
        {
            names.Add(new NodeName(HeadName, NodeRole.Head, 0));
        }

        for (var i = 1; i <= workers; i++)
        {
            names.Add(new NodeName(WorkerName(i), NodeRole.Worker, i));
        }

        return names;
    }
}
