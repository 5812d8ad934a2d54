using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Packages;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Packages;

/// <summary>
/// The site's package cache as an apt repository, made from this machine's apt (the hosts' configured Debian mirror):
/// the suites apt keeps whose InRelease the Debian archive keyring verifies (<c>gpgv</c>), each served with its own
/// InRelease and its binary indexes uncompressed (decompressed from apt's lists once, kept by their SHA-256 in
/// <c>CACHE/apt/indexes</c> after checking it against the InRelease); and the .debs of their pools from
/// <c>CACHE/debs</c> (where layer builds download too), a missing one downloaded first by this machine's apt
/// (<c>apt-get download</c>, once for any number of askers), checked against the index's SHA-256 and renamed into
/// place. apt's own <c>Acquire::http::Timeout</c> bounds a stalled download; nothing bounds a slow one but a generous
/// process timeout.
/// </summary>
public sealed partial class AptArchive(string cacheDirectory, IProcessRunner runner, ILogger<AptArchive>? logger = null) : IPackageArchive
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(60);
    private static readonly IReadOnlyDictionary<string, string?> CLocale = new Dictionary<string, string?> { ["LC_ALL"] = "C" };

    private readonly ILogger _logger = logger ?? NullLogger<AptArchive>.Instance;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, Lazy<Task<PackageFile>>> _downloads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);
    private ArchiveSnapshot? _snapshot;
    private long _snapshotAt;

    /// <summary>Where the .debs are kept (shared with layer builds: <c>CACHE/debs</c>).</summary>
    public string Debs => Path.Combine(cacheDirectory, "debs");

    private string Indexes => Path.Combine(cacheDirectory, "apt", "indexes");

    public async Task<PackageFile?> GetAsync(ArchivePath path, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        switch (path.Kind)
        {
            case ArchivePathKind.Suites:
                return Existing(snapshot.SuitesFile);
            case ArchivePathKind.Release:
                return snapshot.Indexes.FirstOrDefault(i => i.Target.Archive == path.Archive && i.Target.Suite == path.Suite) is { } suite
                    ? Existing(suite.Target.ReleaseFile)
                    : null;
            case ArchivePathKind.Index or ArchivePathKind.IndexByHash:
                return snapshot.Indexes.FirstOrDefault(i => i.Target.Archive == path.Archive && i.Target.Suite == path.Suite && i.Target.MetaKey == path.MetaKey
                    && (path.Sha256 is null || path.Sha256 == i.Sha256)) is { } index
                    ? Existing(index.Path)
                    : null;
            default:
                var debs = await snapshot.DebsAsync(path.Archive, cancellationToken);
                return debs.TryGetValue(path.PoolFile, out var entry) ? await DebAsync(entry, cancellationToken) : null;
        }
    }

    /// <summary>The .deb in the cache, downloaded first when missing; one download per file however many ask.</summary>
    private async Task<PackageFile> DebAsync(DebEntry entry, CancellationToken cancellationToken)
    {
        var final = Path.Combine(Debs, entry.AptFileName);
        if (new FileInfo(final) is { Exists: true } present && present.Length == entry.Size)
        {
            return new PackageFile(final, present.Length);
        }

        var download = _downloads.GetOrAdd(final, _ => new Lazy<Task<PackageFile>>(() => DownloadAsync(entry, final)));
        try
        {
            return await download.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (download.Value.IsCompleted)
            {
                _downloads.TryRemove(new KeyValuePair<string, Lazy<Task<PackageFile>>>(final, download));
            }
        }
    }

    private async Task<PackageFile> DownloadAsync(DebEntry entry, string final)
    {
        await Task.Yield();
        var work = Path.Combine(Debs, $".vcm-download.{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await runner.RunAsync(new ProcessSpec("apt-get",
            [
                "download", "-q", "-o", "APT::Sandbox::User=root", "-o", "Acquire::http::Timeout=60", "-o", "Acquire::Retries=3",
                $"{entry.Package}={entry.Version}",
            ])
            { WorkingDirectory = work, Environment = CLocale, Timeout = TimeSpan.FromHours(2) }, CancellationToken.None);
            var file = Directory.EnumerateFiles(work, "*.deb").FirstOrDefault();
            if (result.ExitCode != 0 || file is null)
            {
                throw new DriverException($"the site's package cache could not fetch {entry.Package} {entry.Version} from the mirror: {Reason(result)}");
            }

            await using (var stream = File.OpenRead(file))
            {
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream));
                if (sha != entry.Sha256)
                {
                    throw new DriverException($"the mirror sent {entry.Package} {entry.Version} with SHA-256 {sha}; the index says {entry.Sha256}");
                }
            }

            File.Move(file, final, overwrite: true);
            LogFetched(_logger, entry.Package, entry.Version, entry.Size, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            return new PackageFile(final, new FileInfo(final).Length);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>What apt has now, read again at most once a minute; indexes decompressed and checked on first sight.</summary>
    private async Task<ArchiveSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } current && Environment.TickCount64 - _snapshotAt < Refresh.TotalMilliseconds)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } fresh && Environment.TickCount64 - _snapshotAt < Refresh.TotalMilliseconds)
            {
                return fresh;
            }

            var listed = await runner.RunAsync(new ProcessSpec("apt-get", ["indextargets", "--format", AptTarget.Format]) { Environment = CLocale }, cancellationToken);
            if (listed.ExitCode != 0)
            {
                throw new DriverException($"apt-get indextargets failed: {Reason(listed)}");
            }

            var indexes = new List<ServedIndex>();
            foreach (var target in AptTarget.Parse(listed.StandardOutput))
            {
                if (File.Exists(target.ReleaseFile) && File.Exists(target.IndexFile) && await VerifiedAsync(target.ReleaseFile, cancellationToken)
                    && await IndexAsync(target, cancellationToken) is { } index)
                {
                    indexes.Add(index);
                }
            }

            var suites = string.Concat(indexes.GroupBy(i => (i.Target.Archive, i.Target.Suite))
                .Select(g => $"{g.Key.Archive} {g.Key.Suite} {string.Join(' ', g.Select(i => i.Target.Component).Distinct(StringComparer.Ordinal))}\n"));
            var suitesFile = Path.Combine(cacheDirectory, "apt", ArchivePath.SuitesFile);
            if (FileText(suitesFile) != suites)
            {
                await WriteAtomicAsync(suitesFile, suites, cancellationToken);
            }

            var snapshot = _snapshot is { } old && old.SameIndexes(indexes) ? old : new ArchiveSnapshot(indexes, suitesFile);
            _snapshot = snapshot;
            _snapshotAt = Environment.TickCount64;
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The target's index, uncompressed, in the cache by its SHA-256 (which the InRelease must list for it).</summary>
    private async Task<ServedIndex?> IndexAsync(AptTarget target, CancellationToken cancellationToken)
    {
        var listed = ReleaseIndex.Sha256(await File.ReadAllTextAsync(target.ReleaseFile, cancellationToken));
        if (!listed.TryGetValue(target.MetaKey, out var expected))
        {
            return null;
        }

        var path = Path.Combine(Indexes, expected.Sha256);
        if (File.Exists(path))
        {
            return new ServedIndex(target, expected.Sha256, path);
        }

        Directory.CreateDirectory(Indexes);
        var partial = path + ".partial";
        var made = await runner.RunAsync(new ProcessSpec("sh", ["-c", "exec /usr/lib/apt/apt-helper cat-file \"$1\" > \"$2\"", "cat-index", target.IndexFile, partial])
        {
            Timeout = TimeSpan.FromMinutes(5),
        }, cancellationToken);
        string sha;
        await using (var stream = File.OpenRead(partial))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        if (made.ExitCode != 0 || sha != expected.Sha256)
        {
            File.Delete(partial);
            LogStaleIndex(_logger, target.IndexFile, sha, expected.Sha256);
            return null; // apt is between an InRelease and its indexes; the next refresh sees them agree
        }

        File.Move(partial, path, overwrite: true);
        return new ServedIndex(target, sha, path);
    }

    /// <summary>Whether the Debian archive's keyring verifies the InRelease (remembered per file and modification time).</summary>
    private async Task<bool> VerifiedAsync(string release, CancellationToken cancellationToken)
    {
        var key = $"{release}@{File.GetLastWriteTimeUtc(release).Ticks.ToString(CultureInfo.InvariantCulture)}";
        if (_verified.TryGetValue(key, out var known))
        {
            return known;
        }

        var checkedRelease = await runner.RunAsync(ProcessSpec.Of("gpgv", "--keyring", AptSources.Keyring, release), cancellationToken);
        _verified[key] = checkedRelease.ExitCode == 0;
        return checkedRelease.ExitCode == 0;
    }

    private static PackageFile? Existing(string path) => new FileInfo(path) is { Exists: true } file ? new PackageFile(path, file.Length) : null;

    private static string? FileText(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static async Task WriteAtomicAsync(string path, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, text, cancellationToken);
        File.Move(partial, path, overwrite: true);
    }

    private static string Reason(ProcessResult result)
    {
        var lines = (result.StandardError + "\n" + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.StartsWith("E: ", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? $"exit code {result.ExitCode}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "package cache: fetched {Package} {Version} ({Bytes} bytes) from the mirror in {Seconds:0.0} s")]
    private static partial void LogFetched(ILogger logger, string package, string version, long bytes, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "package cache: {File} has SHA-256 {Sha256}, its InRelease says {Expected}; not served until they agree")]
    private static partial void LogStaleIndex(ILogger logger, string file, string sha256, string expected);
}
