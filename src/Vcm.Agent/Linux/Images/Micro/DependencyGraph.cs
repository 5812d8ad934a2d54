namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// What `apt-cache depends --recurse` said: each package's Depends and Pre-Depends (every alternative; virtual
/// packages left out), so that closures of several roots come from one (slow) apt-cache run.
/// </summary>
public sealed class DependencyGraph
{
    private readonly Dictionary<string, List<string>> _edges = new(StringComparer.Ordinal);

    /// <summary>Reads the output of apt-cache depends [--recurse]: a package name at the line start, its dependencies indented.</summary>
    public static DependencyGraph Parse(string aptCacheDepends)
    {
        var graph = new DependencyGraph();
        List<string>? current = null;
        foreach (var line in aptCacheDepends.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                current = line.StartsWith('<') ? null : graph.Edges(line.Trim());
                continue;
            }

            var parts = line.Trim().TrimStart('|').Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (current is not null && parts.Length == 2 && parts[0] is "Depends:" or "PreDepends:" && !parts[1].StartsWith('<'))
            {
                current.Add(parts[1].Trim());
            }
        }

        return graph;
    }

    public IReadOnlyList<string> Direct(string package) => _edges.TryGetValue(package, out var edges) ? edges : [];

    /// <summary>Every package <paramref name="package"/> depends on, directly or not, itself excluded, sorted by name.</summary>
    public IReadOnlyList<string> Closure(string package)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { package };
        var queue = new Queue<string>(Direct(package));
        while (queue.TryDequeue(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var dependency in Direct(next))
                {
                    queue.Enqueue(dependency);
                }
            }
        }

        seen.Remove(package);
        return seen.Order(StringComparer.Ordinal).ToList();
    }

    private List<string> Edges(string package)
    {
        if (!_edges.TryGetValue(package, out var edges))
        {
            edges = [];
            _edges[package] = edges;
        }

        return edges;
    }
}
