using System.Collections.Concurrent;

namespace Vcm.Agent.Linux.Packages;

/// <summary>What the repository serves at one time: its indexes, its suites list, and each archive's pool (read once, when first asked).</summary>
internal sealed class ArchiveSnapshot(IReadOnlyList<ServedIndex> indexes, string suitesFile)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Dictionary<string, DebEntry>>>> _pools = new(StringComparer.Ordinal);

    public IReadOnlyList<ServedIndex> Indexes => indexes;

    public string SuitesFile => suitesFile;

    public bool SameIndexes(IReadOnlyList<ServedIndex> other) =>
        other.Select(i => (i.Target, i.Sha256)).SequenceEqual(indexes.Select(i => (i.Target, i.Sha256)));

    /// <summary>Every .deb of the archive's indexes, by its pool path.</summary>
    public Task<Dictionary<string, DebEntry>> DebsAsync(string archive, CancellationToken cancellationToken) =>
        _pools.GetOrAdd(archive, a => new Lazy<Task<Dictionary<string, DebEntry>>>(() => ReadAsync(a))).Value.WaitAsync(cancellationToken);

    private async Task<Dictionary<string, DebEntry>> ReadAsync(string archive)
    {
        var debs = new Dictionary<string, DebEntry>(StringComparer.Ordinal);
        foreach (var index in indexes.Where(i => i.Target.Archive == archive))
        {
            using var reader = new StreamReader(index.Path);
            await DebEntry.ReadAllAsync(reader, debs, CancellationToken.None);
        }

        return debs;
    }
}
