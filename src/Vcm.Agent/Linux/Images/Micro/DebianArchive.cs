using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// Debian packages through apt's ordinary tools: candidate versions (apt-cache), downloads (apt-get download,
/// which checks them against the signed archive index) and unpacking (dpkg-deb -x), kept in a cache folder by
/// name and version: debs/NAME_VERSION.deb and unpacked/NAME_VERSION/. Nothing is installed on this machine.
/// </summary>
public sealed partial class DebianArchive(string cacheDirectory, IProcessRunner runner, ILogger logger)
{
    private static readonly IReadOnlyDictionary<string, string?> CLocale = new Dictionary<string, string?> { ["LC_ALL"] = "C" };

    private string Debs => Path.Combine(cacheDirectory, "debs");

    private string Unpacked => Path.Combine(cacheDirectory, "unpacked");

    /// <summary>The dependency graph below the given packages (one apt-cache run: it is slow where apt keeps no pkgcache).</summary>
    public async Task<DependencyGraph> DependenciesAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var output = await AptAsync(
            "apt-cache",
            ["depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", .. packages],
            cancellationToken);
        return DependencyGraph.Parse(output);
    }

    /// <summary>apt-get update: the package index anew (packages move on; a stale index names files the archive dropped).</summary>
    public async Task UpdateIndexAsync(CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec("apt-get", ["update"]) { Environment = CLocale, Timeout = TimeSpan.FromMinutes(10) };
        (await runner.RunAsync(spec, cancellationToken)).EnsureSuccess();
    }

    /// <summary>The candidate (to-be-installed) version of each package, from the package index.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CandidatesAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var output = await AptAsync("apt-cache", ["policy", .. packages], cancellationToken);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && line.EndsWith(':'))
            {
                current = line[..^1];
            }
            else if (current is not null && line.Trim().StartsWith("Candidate:", StringComparison.Ordinal))
            {
                var version = line.Trim()["Candidate:".Length..].Trim();
                if (version != "(none)")
                {
                    versions[current] = version;
                }
            }
        }

        var missing = packages.Where(p => !versions.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new DriverException($"no candidate version of {string.Join(", ", missing)} in the package index; is it current (apt-get update)?");
        }

        return versions;
    }

    /// <summary>Downloads (unless cached) and unpacks (unless unpacked) each package at its candidate version.</summary>
    public async Task<IReadOnlyList<DebianPackage>> FetchAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var versions = await CandidatesAsync(packages, cancellationToken);
        Directory.CreateDirectory(Debs);
        var missing = packages.Where(p => !File.Exists(DebFile(p, versions[p]))).ToList();
        if (missing.Count > 0)
        {
            await DownloadAsync(missing, versions, cancellationToken);
        }

        var fetched = new List<DebianPackage>();
        foreach (var package in packages)
        {
            fetched.Add(new DebianPackage(package, versions[package], await UnpackAsync(package, versions[package], cancellationToken)));
        }

        return fetched;
    }

    private async Task DownloadAsync(IReadOnlyList<string> packages, IReadOnlyDictionary<string, string> versions, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateDirectory(Path.Combine(Debs, $".download-{Guid.NewGuid():N}"));
        try
        {
            LogDownloading(logger, string.Join(' ', packages));
            var spec = new ProcessSpec("apt-get", ["download", .. packages.Select(p => $"{p}={versions[p]}")])
            {
                WorkingDirectory = scratch.FullName,
                Environment = CLocale,
                Timeout = TimeSpan.FromMinutes(10),
            };
            (await runner.RunAsync(spec, cancellationToken)).EnsureSuccess();
            foreach (var package in packages)
            {
                // apt names the file NAME_VERSION_ARCH.deb, with the epoch's ':' written as %3a
                var file = scratch.GetFiles($"{package}_*.deb").SingleOrDefault()
                    ?? throw new DriverException($"apt-get download {package} left no {package}_*.deb");
                File.Move(file.FullName, DebFile(package, versions[package]), overwrite: true);
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private async Task<string> UnpackAsync(string package, string version, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Unpacked, $"{package}_{Escape(version)}");
        if (Directory.Exists(root))
        {
            return root;
        }

        // unpack beside, then rename: a half-unpacked folder is never taken for a whole one
        Directory.CreateDirectory(Unpacked);
        var scratch = Path.Combine(Unpacked, $".{package}-{Guid.NewGuid():N}");
        try
        {
            var spec = new ProcessSpec("dpkg-deb", ["-x", DebFile(package, version), scratch]) { Environment = CLocale, Timeout = TimeSpan.FromMinutes(5) };
            (await runner.RunAsync(spec, cancellationToken)).EnsureSuccess();
            try
            {
                Directory.Move(scratch, root);
            }
            catch (IOException) when (Directory.Exists(root))
            {
                // another build unpacked it at the same time
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return root;
    }

    private string DebFile(string package, string version) => Path.Combine(Debs, $"{package}_{Escape(version)}.deb");

    private static string Escape(string version) => version.Replace(":", "%3a", StringComparison.Ordinal);

    private async Task<string> AptAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(program, arguments) { Environment = CLocale, Timeout = TimeSpan.FromMinutes(1) };
        return (await runner.RunAsync(spec, cancellationToken)).EnsureSuccess().StandardOutput;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "downloading Debian packages: {Packages}")]
    private static partial void LogDownloading(ILogger logger, string packages);
}
