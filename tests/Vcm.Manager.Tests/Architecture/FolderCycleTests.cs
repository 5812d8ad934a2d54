using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Manager.Tests.Architecture;

/// <summary>
/// Inside the manager, folders use each other one way only: no folder uses, even indirectly, a folder that uses it.
/// Site identity and options live in Configuration, which uses no other folder; Hosting (the composition root) uses
/// every folder and is used by none.
/// </summary>
public sealed class FolderCycleTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyDictionary<string, Dictionary<string, string>> Graph = FolderDependencies.Of(Assembly.Load("Vcm.Manager"));

    [Fact]
    public void ManagerFolders_HaveNoCycle()
    {
        foreach (var (from, edges) in Graph.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{from} -> {string.Join(", ", edges.Keys.Order(StringComparer.Ordinal))}");
        }

        var cycle = FolderDependencies.FindCycle(Graph);

        Assert.True(cycle is null, cycle is null ? "" : "a cycle of folders: " + string.Join(
            " -> ", cycle.Zip(cycle.Skip(1), (a, b) => $"{a} ({Graph[a][b]})")) + $" -> {cycle[^1]}");
    }

    [Fact]
    public void Configuration_UsesNoOtherFolder_AndNothingUsesHosting()
    {
        Assert.Empty(Graph.GetValueOrDefault("Configuration")?.Keys ?? Enumerable.Empty<string>());
        Assert.DoesNotContain(Graph, kv => kv.Key != "Hosting" && kv.Value.ContainsKey("Hosting"));
    }

    [Fact]
    public void FindCycle_SeesACycleThroughThreeFolders()
    {
        var graph = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "a" },
            ["B"] = new() { ["C"] = "b" },
            ["C"] = new() { ["A"] = "c" },
            ["D"] = new() { ["A"] = "d" },
        };

        Assert.Equal(["A", "B", "C", "A"], FolderDependencies.FindCycle(graph));
        Assert.Null(FolderDependencies.FindCycle(new Dictionary<string, Dictionary<string, string>> { ["A"] = new() { ["B"] = "a" } }));
    }
}
