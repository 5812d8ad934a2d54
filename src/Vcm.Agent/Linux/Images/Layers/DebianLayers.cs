using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Images.Layers;

/// <summary>
/// Package-set layers of Debian images in the site's image store (a folder). A set is resolved by this machine's apt
/// against the parent image's own dpkg database (<c>apt-get -s</c>: the exact versions it would install) and named by
/// its content: <c>PARENT.pk-HASH</c>, the hash of the parent's base.qcow2 and of every name=version installed. A
/// layer is built by copying the parent's disk to a raw file (grown when the packages need room), downloading the
/// .debs with this machine's apt into the site's package cache (<c>.cache/debs</c>), installing exactly those
/// versions with apt inside the loop-mounted copy (in a private mount namespace, with no network), and keeping only
/// what differs from the parent (an empty qcow2 over the changed copy, rebased onto the parent: qemu-img copies in
/// only the clusters that differ). The folder holds that qcow2 as
/// base.qcow2 (its backing file relative and naming the parent's version, <c>../PARENT@VERSION/base.qcow2</c>, so it works
/// in any host's image cache and never over a rebuilt parent), the parent's kernel and initramfs,
/// the layer's dpkg database and a manifest naming its parent; it is built in a dot-folder and renamed into place.
/// </summary>
public sealed partial class DebianLayers(string storeDirectory, IProcessRunner runner, ILogger<DebianLayers>? logger = null) : IImageLayers
{
    /// <summary>Bump when a layer's layout changes meaning (it is part of every layer's name).</summary>
    public const string BuilderVersion = "2";

    private static readonly IReadOnlyDictionary<string, string?> CLocale = new Dictionary<string, string?> { ["LC_ALL"] = "C" };
    private static readonly SemaphoreSlim Builds = new(1, 1);
    private static readonly long Slack = 256L << 20;

    private readonly ILogger _logger = logger ?? NullLogger<DebianLayers>.Instance;

    /// <summary>Where the .debs downloaded for layers are kept: the site's package cache.</summary>
    public string PackageCache => Path.Combine(storeDirectory, ".cache", "debs");

    public async Task<PackageResolution> ResolveAsync(string image, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var parent = Path.Combine(storeDirectory, image);
        var manifest = await MicroImageManifest.ReadAsync(parent, cancellationToken);
        if (manifest is null)
        {
            return new PackageResolution(null, [], $"this site's image store has no image '{image}'");
        }

        var status = Path.Combine(parent, MicroImageManifest.DpkgStatusFile);
        if (!File.Exists(status))
        {
            return new PackageResolution(null, [], $"image '{image}' has no package manager and takes no packages; use a Debian image such as debian-12");
        }

        var simulated = await runner.RunAsync(new ProcessSpec("apt-get",
        [
            "-s", "install", "--no-install-recommends", "-o", $"Dir::State::status={status}", "-o", "Debug::NoLocking=1", .. packages,
        ])
        { Environment = CLocale, Timeout = TimeSpan.FromMinutes(2) }, cancellationToken);
        var unknown = UnknownPackages(simulated.StandardError + "\n" + simulated.StandardOutput);
        if (unknown.Count > 0)
        {
            return new PackageResolution(null, unknown, null);
        }

        if (simulated.ExitCode != 0)
        {
            return new PackageResolution(null, [], "apt cannot install this package set: " + AptReason(simulated));
        }

        var installs = Installs(simulated.StandardOutput);
        var parentDisk = manifest.Files.Single(f => f.Name == MicroImageBuilder.BaseDiskFile).Sha256;
        var layer = installs.Count == 0 ? image : $"{image}{LayerNames.Mark}{ContentHash(parentDisk, installs)}";
        return PackageResolution.Of(new LayerPlan(image, layer, packages.Order(StringComparer.Ordinal).ToList(), installs, await InstalledKibAsync(installs, cancellationToken)));
    }

    /// <summary>What the packages unpack to, from the archive's index (Installed-Size, KiB); 0 when apt cannot say.</summary>
    private async Task<long> InstalledKibAsync(IReadOnlyList<PackageVersion> installs, CancellationToken cancellationToken)
    {
        if (installs.Count == 0)
        {
            return 0;
        }

        var shown = await runner.RunAsync(new ProcessSpec("apt-cache", ["show", "--no-all-versions", .. installs.Select(p => $"{p.Name}={p.Version}")])
        {
            Environment = CLocale, Timeout = TimeSpan.FromMinutes(2),
        }, cancellationToken);
        return shown.ExitCode == 0 ? InstalledKib(shown.StandardOutput) : 0;
    }

    /// <summary>The sum of the Installed-Size fields (KiB) of apt-cache show's records.</summary>
    internal static long InstalledKib(string records) =>
        records.Split('\n')
            .Where(l => l.StartsWith("Installed-Size:", StringComparison.Ordinal))
            .Sum(l => long.TryParse(l["Installed-Size:".Length..].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var kib) ? kib : 0);

    public async Task<LayerBuild> EnsureAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken)
    {
        var final = Path.Combine(storeDirectory, plan.Layer);
        if (await MicroImageManifest.ReadAsync(final, cancellationToken) is { } present)
        {
            return Present(plan.Layer, present, final);
        }

        await Builds.WaitAsync(cancellationToken);
        try
        {
            using var storeLock = await LockStoreAsync(cancellationToken);
            if (await MicroImageManifest.ReadAsync(final, cancellationToken) is { } built)
            {
                return Present(plan.Layer, built, final);
            }

            var started = Stopwatch.GetTimestamp();
            var manifest = await BuildAsync(plan, progress, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            LogBuilt(_logger, plan.Layer, plan.Installs.Count, seconds);
            return new LayerBuild(plan.Layer, true, seconds, Bytes(final), manifest.MinDiskMb ?? 0);
        }
        finally
        {
            Builds.Release();
        }
    }

    public async Task<IReadOnlyList<StoredImage>> ListAsync(CancellationToken cancellationToken)
    {
        var images = new List<StoredImage>();
        if (!Directory.Exists(storeDirectory))
        {
            return images;
        }

        foreach (var folder in Directory.EnumerateDirectories(storeDirectory).Where(d => !Path.GetFileName(d).StartsWith('.') && !Path.GetFileName(d).Contains('@', StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (await MicroImageManifest.ReadAsync(folder, cancellationToken) is { } manifest)
            {
                images.Add(new StoredImage(Path.GetFileName(folder), manifest.Parent, Bytes(folder), manifest.MinDiskMb ?? 0, manifest.Requested ?? [], manifest.Packages.Count));
            }
        }

        return images;
    }

    public async Task<bool> RemoveAsync(string layer, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(storeDirectory, layer);
        if (!LayerNames.IsLayer(layer) || layer.Contains('/', StringComparison.Ordinal) || layer.StartsWith('.') || !Directory.Exists(folder))
        {
            return false;
        }

        var children = (await ListAsync(cancellationToken)).Where(i => i.Parent == layer).Select(i => i.Name).ToList();
        if (children.Count > 0)
        {
            throw new DriverException($"layer {layer} is the parent of {string.Join(", ", children)}; remove those first", terminal: true);
        }

        ImageBuildFolder.UnlinkVersions(folder);
        var aside = Path.Combine(storeDirectory, $".{layer}.removed.{Guid.NewGuid():N}");
        Directory.Move(folder, aside);
        Directory.Delete(aside, recursive: true);
        return true;
    }

    private async Task<MicroImageManifest> BuildAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken)
    {
        var parentFolder = Path.Combine(storeDirectory, plan.Image);
        var parent = await MicroImageManifest.ReadAsync(parentFolder, cancellationToken)
            ?? throw new DriverException($"this site's image store has no image '{plan.Image}'", terminal: true);
        ImageBuildFolder.LinkVersion(parentFolder); // for a store that holds it from before versions
        var work = Path.Combine(storeDirectory, $".{plan.Layer}.build");
        await ImageBuildFolder.ClearAsync(runner, work, cancellationToken);
        Directory.CreateDirectory(work);
        try
        {
            var pinned = plan.Installs.Select(p => $"{p.Name}={p.Version}").ToList();
            progress($"downloading {plan.Installs.Count} packages into the site's package cache…");
            Directory.CreateDirectory(Path.Combine(PackageCache, "partial"));
            await RunAsync(new ProcessSpec("apt-get",
            [
                "install", "-y", "-q", "--download-only", "--no-install-recommends",
                "-o", $"Dir::State::status={Path.Combine(parentFolder, MicroImageManifest.DpkgStatusFile)}",
                "-o", $"Dir::Cache::archives={PackageCache}/", "-o", "Debug::NoLocking=1", .. pinned,
            ])
            { Environment = CLocale, Timeout = TimeSpan.FromHours(2) }, "downloading the packages", cancellationToken);

            progress($"copying {plan.Image}'s disk and making room for the packages…");
            var raw = Path.Combine(work, "root.raw");
            await RunAsync(ProcessSpec.Of("qemu-img", "convert", "-q", "-f", "qcow2", "-O", "raw", Path.Combine(parentFolder, MicroImageBuilder.BaseDiskFile), raw), "copying the parent's disk", cancellationToken);
            var sizeMb = await GrowAsync(raw, await InstalledBytesAsync(pinned, cancellationToken), cancellationToken);

            progress($"installing {string.Join(", ", plan.Requested)} ({plan.Installs.Count} packages) into the layer…");
            var status = Path.Combine(work, MicroImageManifest.DpkgStatusFile);
            await RunAsync(new ProcessSpec("unshare", ["-m", "--propagation", "private", "--", "sh", "-c", InstallScript, "layer-install", raw, Path.Combine(work, "mnt"), PackageCache, status, .. pinned])
            {
                Environment = CLocale,
                Timeout = TimeSpan.FromHours(2),
            }, "installing the packages", cancellationToken);

            progress("keeping what the packages changed (a qcow2 over the parent)…");
            var output = Directory.CreateDirectory(Path.Combine(work, "image")).FullName;
            var qcow = Path.Combine(output, MicroImageBuilder.BaseDiskFile);
            // An empty qcow2 over the changed copy, rebased (safe mode) onto the parent: qemu-img compares the two
            // cluster by cluster and copies into it only those that differ.
            await RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", "-b", raw, "-F", "raw", qcow), "making the layer", cancellationToken);
            await RunAsync(new ProcessSpec("qemu-img", ["rebase", "-q", "-f", "qcow2", "-b", Path.Combine(parentFolder, MicroImageBuilder.BaseDiskFile), "-F", "qcow2", qcow])
            {
                Timeout = TimeSpan.FromHours(1),
            }, "keeping what changed", cancellationToken);
            File.Delete(raw);
            // its parent's version folder, as hosts keep it (ImageCache): a rebuilt parent never slides under the layer
            var parentVersion = ImageCache.VersionOf(ImageCache.ReadManifest(parentFolder)!.Files);
            await RunAsync(ProcessSpec.Of("qemu-img", "rebase", "-u", "-f", "qcow2", "-F", "qcow2", "-b", $"../{plan.Image}@{parentVersion}/{MicroImageBuilder.BaseDiskFile}", qcow), "pointing the layer at its parent", cancellationToken);

            var files = new List<MicroImageFile>
            {
                await ImageFiles.WriteAsync(output, MicroImageBuilder.KernelFile, s => ImageFiles.CopyAsync(Path.Combine(parentFolder, MicroImageBuilder.KernelFile), s, cancellationToken), cancellationToken),
                await ImageFiles.WriteAsync(output, MicroImageBuilder.InitrdFile, s => ImageFiles.CopyAsync(Path.Combine(parentFolder, MicroImageBuilder.InitrdFile), s, cancellationToken), cancellationToken),
                await Hashed(output, MicroImageBuilder.BaseDiskFile, cancellationToken),
                await ImageFiles.WriteAsync(output, MicroImageManifest.DpkgStatusFile, s => ImageFiles.CopyAsync(status, s, cancellationToken), cancellationToken),
            };
            var manifest = new MicroImageManifest(
                plan.Layer, BuilderVersion, parent.KernelRelease, files, DpkgStatus.Installed(await File.ReadAllTextAsync(status, cancellationToken)),
                Parent: plan.Image,
                ParentSha256: parent.Files.Single(f => f.Name == MicroImageBuilder.BaseDiskFile).Sha256,
                Requested: plan.Requested,
                MinDiskMb: Math.Max(sizeMb, parent.MinDiskMb ?? 0));
            await ImageFiles.WriteAsync(output, MicroImageManifest.FileName, s => s.WriteAsync(Encoding.UTF8.GetBytes(manifest.ToJson()), cancellationToken).AsTask(), cancellationToken);
            ImageBuildFolder.Publish(output, Path.Combine(storeDirectory, plan.Layer));
            return manifest;
        }
        finally
        {
            await ImageBuildFolder.ClearAsync(runner, work, CancellationToken.None);
        }
    }

    /// <summary>Grows the raw copy (and its ext4) when the packages would leave less than some slack free; its size in MiB.</summary>
    private async Task<long> GrowAsync(string raw, long installedBytes, CancellationToken cancellationToken)
    {
        var header = (await RunAsync(ProcessSpec.Of("dumpe2fs", "-h", raw), "reading the file system", cancellationToken)).StandardOutput;
        var free = Field(header, "Free blocks") * Field(header, "Block size");
        var size = new FileInfo(raw).Length;
        var need = (long)(installedBytes * 1.2) + Slack;
        if (free < need)
        {
            var grown = (size + need - free + Slack - 1) / Slack * Slack;
            await using (var file = new FileStream(raw, FileMode.Open, FileAccess.Write))
            {
                file.SetLength(grown);
            }

            var check = await runner.RunAsync(ProcessSpec.Of("e2fsck", "-f", "-y", raw), cancellationToken);
            if (check.ExitCode > 1)
            {
                throw new DriverException($"e2fsck found the parent's file system damaged (exit {check.ExitCode}): {AptReason(check)}", terminal: true);
            }

            await RunAsync(ProcessSpec.Of("resize2fs", raw), "growing the file system", cancellationToken);
            size = grown;
        }

        return size >> 20;
    }

    /// <summary>The sum of the packages' Installed-Size (apt-cache show of the exact versions).</summary>
    private async Task<long> InstalledBytesAsync(IReadOnlyList<string> pinned, CancellationToken cancellationToken)
    {
        var shown = (await RunAsync(new ProcessSpec("apt-cache", ["show", .. pinned]) { Environment = CLocale }, "reading the packages' sizes", cancellationToken)).StandardOutput;
        return InstalledSizeLine().Matches(shown).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) * 1024;
    }

    /// <summary>Packages apt says it cannot find ("Unable to locate package X", "Package 'X' has no installation candidate").</summary>
    public static IReadOnlyList<string> UnknownPackages(string aptOutput) =>
        UnknownLine().Matches(aptOutput).Select(m => m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>What <c>apt-get -s install</c> would install ("Inst NAME [OLD] (VERSION …)"), by name.</summary>
    public static IReadOnlyList<PackageVersion> Installs(string simulation) =>
        InstLine().Matches(simulation).Select(m => new PackageVersion(m.Groups[1].Value, m.Groups[2].Value))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>16 hex digits of SHA-256 over the builder version, the parent disk's hash and every name=version.</summary>
    public static string ContentHash(string parentSha256, IReadOnlyList<PackageVersion> installs)
    {
        var text = new StringBuilder($"vcm-layer/{BuilderVersion}\n{parentSha256}\n");
        foreach (var package in installs.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            text.Append(package.Name).Append('=').Append(package.Version).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static LayerBuild Present(string layer, MicroImageManifest manifest, string folder) =>
        new(layer, false, 0, Bytes(folder), manifest.MinDiskMb ?? 0);

    private static long Bytes(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length) : 0;

    private static async Task<MicroImageFile> Hashed(string folder, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, name);
        return new MicroImageFile(name, await MicroImageManifest.Sha256Async(path, cancellationToken), new FileInfo(path).Length);
    }

    private static long Field(string dumpe2fs, string name)
    {
        var line = dumpe2fs.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            ?? throw new DriverException($"dumpe2fs printed no '{name}'", terminal: true);
        return long.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Builds of one store are serialised across processes too (several managers may share a store).</summary>
    private async Task<FileStream> LockStoreAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(storeDirectory);
        var path = Path.Combine(storeDirectory, ".layers.lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private async Task<ProcessResult> RunAsync(ProcessSpec spec, string what, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(spec, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new DriverException($"{what} failed: {AptReason(result)}", terminal: true);
        }

        return result;
    }

    /// <summary>apt's own error lines ("E: …") when it gave any, else the last line of the output.</summary>
    private static string AptReason(ProcessResult result)
    {
        var lines = (result.StandardError + "\n" + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("dpkg: error", StringComparison.Ordinal)).Take(3).ToList();
        return errors.Count > 0 ? string.Join(" ", errors) : lines.LastOrDefault() ?? $"exit code {result.ExitCode}";
    }

    private static string InstallScript { get; } = ReadScript("layer-install.sh");

    private static string ReadScript(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Vcm.Agent.Layers.{name}")
            ?? throw new InvalidOperationException($"the embedded script {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) ", RegexOptions.Multiline)]
    private static partial Regex InstLine();

    [GeneratedRegex(@"^E: (?:Unable to locate package (?<a>\S+)|Package '(?<b>[^']+)' has no installation candidate)", RegexOptions.Multiline)]
    private static partial Regex UnknownLine();

    [GeneratedRegex(@"^Installed-Size: (\d+)", RegexOptions.Multiline)]
    private static partial Regex InstalledSizeLine();

    [LoggerMessage(Level = LogLevel.Information, Message = "layer {Layer} built: {Packages} packages in {Seconds:0.0} s")]
    private static partial void LogBuilt(ILogger logger, string layer, int packages, double seconds);
}

/// <summary>Reads a dpkg status file.</summary>
public static class DpkgStatus
{
    /// <summary>The installed packages with their versions, by name.</summary>
    public static IReadOnlyList<MicroImagePackage> Installed(string status)
    {
        var packages = new List<MicroImagePackage>();
        foreach (var stanza in status.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null, version = null, state = null;
            foreach (var line in stanza.Split('\n'))
            {
                if (line.StartsWith("Package: ", StringComparison.Ordinal))
                {
                    name = line[9..].Trim();
                }
                else if (line.StartsWith("Version: ", StringComparison.Ordinal))
                {
                    version = line[9..].Trim();
                }
                else if (line.StartsWith("Status: ", StringComparison.Ordinal))
                {
                    state = line[8..].Trim();
                }
            }

            if (name is not null && version is not null && state is not null && state.EndsWith(" installed", StringComparison.Ordinal))
            {
                packages.Add(new MicroImagePackage(name, version));
            }
        }

        return packages.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }
}
