using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Linux.Images.Layers;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Images.Debian;

/// <summary>
/// Builds a bootable Debian image (e.g. <c>debian-12</c>) into the site's image store from the Debian archive this
/// machine's apt uses: mmdebstrap makes a minimal system (openssh, busybox, kmod, e2fsprogs, iproute2, procps) into
/// a folder; the cloud kernel's modules are added from its package (the kernel itself boots directly, so no
/// initramfs-tools run in the image); vcm's guest side (busybox init, the boot script, /sbin/netup) is written in;
/// <c>mke2fs -d</c> turns the folder into an ext4 file system with no mount, which becomes base.qcow2. Beside it:
/// vmlinuz and a small initrd.gz (busybox and the virtio modules; it mounts /dev/vda and hands over). Everything is
/// made in <c>.NAME.build</c> beside the image, cleared at the start of every build, and the finished folder is
/// renamed into place, so the store never holds a half image and an interrupted build leaves nothing a rerun uses.
/// </summary>
public sealed partial class DebianImageBuilder(DebianImageOptions options, IProcessRunner runner, ILogger<DebianImageBuilder>? logger = null)
{
    /// <summary>Bump when the image's layout or guest side change meaning.</summary>
    public const string BuilderVersion = "8";

    private const int Executable = 0x1ED; // 0755

    private readonly ILogger _logger = logger ?? NullLogger<DebianImageBuilder>.Instance;

    /// <summary>The images this builder makes, by name, with the Debian suite each is made from.</summary>
    public static readonly IReadOnlyDictionary<string, string> Suites = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["debian-12"] = "bookworm",
    };

    /// <summary>Builds <paramref name="image"/> into <paramref name="storeDirectory"/>/NAME, replacing what is there.</summary>
    public async Task<MicroImageManifest> BuildAsync(string storeDirectory, string image, Action<string> progress, CancellationToken cancellationToken)
    {
        if (!Suites.TryGetValue(image, out var suite))
        {
            throw new DriverException($"vcm builds no image named '{image}'; it builds {string.Join(", ", Suites.Keys)}", terminal: true);
        }

        var started = Stopwatch.GetTimestamp();
        var work = Path.Combine(storeDirectory, $".{image}.build");
        await ImageBuildFolder.ClearAsync(runner, work, cancellationToken);
        try
        {
            var tree = Path.Combine(work, "root");
            var output = Directory.CreateDirectory(Path.Combine(work, "image")).FullName;

            progress("fetching the kernel and busybox for the initramfs…");
            var archive = new DebianArchive(options.CacheDirectory, runner, _logger);
            var graph = await archive.DependenciesAsync([options.KernelMetapackage], cancellationToken);
            var kernelPackage = graph.Direct(options.KernelMetapackage).FirstOrDefault(p => p.StartsWith("linux-image-", StringComparison.Ordinal))
                ?? throw new DriverException($"{options.KernelMetapackage} depends on no linux-image-* package; is the package index current (apt-get update)?");
            var fetched = await archive.FetchAsync([kernelPackage, options.BusyboxPackage], cancellationToken);
            var (kernel, busybox) = (fetched[0], fetched[1]);
            var modules = KernelModules.Load(kernel);

            progress($"making a minimal Debian {suite} with mmdebstrap (a few minutes)…");
            await BootstrapAsync(suite, tree, cancellationToken);

            progress($"adding kernel {modules.Release}'s modules and vcm's guest side…");
            await CopyTreeAsync(kernel.Local($"/lib/modules/{modules.Release}"), Path.Combine(tree, "lib", "modules", modules.Release), cancellationToken);
            await RunAsync(ProcessSpec.Of("chroot", tree, "/usr/sbin/depmod", modules.Release), cancellationToken);
            await AddGuestAsync(tree, image, modules.Release, cancellationToken);

            progress("making the root file system (ext4) and base.qcow2…");
            var vmlinuz = await ImageFiles.WriteAsync(output, MicroImageBuilder.KernelFile, s => ImageFiles.CopyAsync(kernel.Local($"/boot/vmlinuz-{modules.Release}"), s, cancellationToken), cancellationToken);
            var initrd = await ImageFiles.WriteAsync(output, MicroImageBuilder.InitrdFile, s => InitrdAsync(busybox, modules, s, cancellationToken), cancellationToken);
            var baseDisk = await RootDiskAsync(tree, work, output, cancellationToken);
            var status = await ImageFiles.WriteAsync(output, MicroImageManifest.DpkgStatusFile, s => ImageFiles.CopyAsync(Path.Combine(tree, "var/lib/dpkg/status"), s, cancellationToken), cancellationToken);

            var packages = DpkgStatus.Installed(await File.ReadAllTextAsync(Path.Combine(tree, "var/lib/dpkg/status"), cancellationToken))
                .Append(new MicroImagePackage(kernel.Name, kernel.Version))
                .Append(new MicroImagePackage(busybox.Name, busybox.Version))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
            var manifest = new MicroImageManifest(image, BuilderVersion, modules.Release, [vmlinuz, initrd, baseDisk, status], packages, MinDiskMb: options.RootDiskMb);
            await ImageFiles.WriteAsync(output, MicroImageManifest.FileName, s => s.WriteAsync(Encoding.UTF8.GetBytes(manifest.ToJson()), cancellationToken).AsTask(), cancellationToken);

            ImageBuildFolder.Publish(output, Path.Combine(storeDirectory, image));
            LogBuilt(_logger, image, modules.Release, baseDisk.Size, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return manifest;
        }
        finally
        {
            await ImageBuildFolder.ClearAsync(runner, work, CancellationToken.None);
        }
    }

    /// <summary>mmdebstrap's minimal variant plus the guest's packages, from the mirrors this machine's apt uses.</summary>
    private async Task BootstrapAsync(string suite, string tree, CancellationToken cancellationToken)
    {
        var sources = HostSources();
        if (sources.Count == 0)
        {
            throw new DriverException("this machine's apt has no sources (/etc/apt/sources.list, /etc/apt/sources.list.d/) to build a Debian image from", terminal: true);
        }

        IReadOnlyList<string> args =
        [
            "--variant=minbase", "--mode=root", "--quiet",
            "--include=" + string.Join(',', options.Packages),
            "--aptopt=APT::Install-Recommends \"false\"",
            "--aptopt=Acquire::Retries \"3\"",
            .. options.ExcludedPaths.Select(p => "--dpkgopt=path-exclude=" + p),
            suite, tree, .. sources,
        ];
        await RunAsync(new ProcessSpec("mmdebstrap", args) { Timeout = options.BootstrapTimeout, Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" } }, cancellationToken);
    }

    /// <summary>The apt source files of this machine, each given to mmdebstrap as a mirror (one-line or deb822).</summary>
    private IReadOnlyList<string> HostSources()
    {
        var files = new List<string>();
        var list = Path.Combine(options.AptDirectory, "sources.list");
        if (File.Exists(list) && File.ReadAllLines(list).Any(l => l.TrimStart().StartsWith("deb ", StringComparison.Ordinal)))
        {
            files.Add(list);
        }

        var parts = Path.Combine(options.AptDirectory, "sources.list.d");
        if (Directory.Exists(parts))
        {
            files.AddRange(Directory.EnumerateFiles(parts).Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }

        return files;
    }

    /// <summary>vcm's guest side and the settings a node needs; no host keys or machine id shared by every node.</summary>
    private async Task AddGuestAsync(string tree, string image, string kernelRelease, CancellationToken cancellationToken)
    {
        await WriteTextAsync(tree, "usr/lib/vcm/boot", DebianGuestScripts.Boot, Executable, cancellationToken);
        await WriteTextAsync(tree, "usr/lib/vcm/stop", DebianGuestScripts.Stop, Executable, cancellationToken);
        await WriteTextAsync(tree, "etc/inittab", DebianGuestScripts.Inittab, 0x1A4, cancellationToken);
        await WriteBytesAsync(tree, "sbin/netup", GuestScripts.Netup, Executable, cancellationToken);
        await WriteTextAsync(tree, "sbin/sshup", DebianGuestScripts.Sshup, Executable, cancellationToken);
        await WriteBytesAsync(tree, "usr/share/udhcpc/default.script", GuestScripts.UdhcpcHook, Executable, cancellationToken);
        await WriteTextAsync(tree, "etc/vcm/modules", string.Join('\n', options.BootModules) + "\n", 0x1A4, cancellationToken);
        await WriteTextAsync(tree, "etc/vcm/image", $"image={image}\nbuilder={BuilderVersion}\nkernel={kernelRelease}\n", 0x1A4, cancellationToken);
        await WriteTextAsync(tree, "usr/lib/vcm/meta-lib.sh", DebianGuestScripts.MetaLib, 0x1A4, cancellationToken);
        await WriteTextAsync(tree, "etc/vcm/meta.d/40-packages", DebianGuestScripts.Packages, Executable, cancellationToken);
        await WriteTextAsync(tree, "etc/vcm/meta.d/50-cluster", DebianGuestScripts.Cluster, Executable, cancellationToken);
        await WriteTextAsync(tree, "usr/lib/vcm/known-hosts", DebianGuestScripts.KnownHosts, Executable, cancellationToken);
        await WriteTextAsync(tree, "etc/ssh/ssh_config.d/vcm.conf", "KnownHostsCommand /usr/lib/vcm/known-hosts\n", 0x1A4, cancellationToken);
        Directory.CreateDirectory(Path.Combine(tree, "etc/vcm/boot.d"));
        Directory.CreateDirectory(Path.Combine(tree, "etc/vcm/stop.d"));
        await WriteTextAsync(tree, "etc/ssh/sshd_config.d/vcm.conf",
            "HostKey /etc/ssh/ssh_host_ed25519_key\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUseDNS no\n", 0x1A4, cancellationToken);
        foreach (var key in Directory.EnumerateFiles(Path.Combine(tree, "etc/ssh"), "ssh_host_*"))
        {
            File.Delete(key);
        }

        await WriteTextAsync(tree, "etc/hostname", "debian\n", 0x1A4, cancellationToken);
        await WriteTextAsync(tree, "etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n", 0x1A4, cancellationToken);
        await WriteTextAsync(tree, "etc/fstab", "/dev/vda / ext4 rw,noatime 0 1\n", 0x1A4, cancellationToken);
        await WriteTextAsync(tree, "etc/machine-id", "", 0x1A4, cancellationToken);
        File.Delete(Path.Combine(tree, "etc/resolv.conf"));

        // busybox's applets that the minimal base lacks (udhcpc, wget, uevent), behind Debian's own programs on PATH
        Directory.CreateDirectory(Path.Combine(tree, "usr/lib/vcm/bin"));
        await RunAsync(ProcessSpec.Of("chroot", tree, "/bin/busybox", "--install", "-s", "/usr/lib/vcm/bin"), cancellationToken);
    }

    /// <summary>The initramfs: static busybox, the virtio modules the root disk needs, and stage 1's /init.</summary>
    private async Task InitrdAsync(DebianPackage busybox, KernelModules modules, Stream destination, CancellationToken cancellationToken)
    {
        var initramfs = new Initramfs();
        foreach (var folder in new[] { "proc", "sys", "dev", "newroot", "etc/vcm", "lib/modules" })
        {
            initramfs.AddDirectory(folder);
        }

        initramfs.AddCharDevice("dev/console", 5, 1, 0x180);
        var order = modules.LoadOrder(options.InitrdModules);
        foreach (var module in order)
        {
            initramfs.AddFile($"lib/modules/{module.Name}.ko", await File.ReadAllBytesAsync(module.File, cancellationToken), 0x1A4);
        }

        new SharedLibraries([busybox]).Add(initramfs, ["/bin/busybox"]);
        initramfs.AddText("etc/vcm/modules", string.Concat(order.Select(m => m.Name + "\n")));
        initramfs.AddFile("init", Encoding.UTF8.GetBytes(DebianGuestScripts.Stage1), Executable);

        using var cpio = new MemoryStream();
        initramfs.WriteCpio(cpio);
        cpio.Position = 0;
        await using var gzip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        await cpio.CopyToAsync(gzip, cancellationToken);
    }

    /// <summary>An ext4 file system of the folder (mke2fs -d: no mount, no loop device), as qcow2.</summary>
    private async Task<MicroImageFile> RootDiskAsync(string tree, string work, string output, CancellationToken cancellationToken)
    {
        var raw = Path.Combine(work, "root.raw");
        await RunAsync(new ProcessSpec("mke2fs", ["-q", "-F", "-t", "ext4", "-L", "vcm-root", "-m", "0", "-d", tree, raw, $"{options.RootDiskMb}M"])
        {
            Timeout = TimeSpan.FromMinutes(20),
        }, cancellationToken);
        var qcow = Path.Combine(work, "base.qcow2");
        await RunAsync(new ProcessSpec("qemu-img", ["convert", "-q", "-f", "raw", "-O", "qcow2", raw, qcow]) { Timeout = TimeSpan.FromMinutes(20) }, cancellationToken);
        File.Delete(raw);
        return await ImageFiles.WriteAsync(output, MicroImageBuilder.BaseDiskFile, s => ImageFiles.CopyAsync(qcow, s, cancellationToken), cancellationToken);
    }

    private static async Task CopyTreeAsync(string source, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            if (new FileInfo(file).LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else
            {
                await ImageFiles.CopyFileAsync(file, target, cancellationToken);
            }
        }
    }

    private static async Task WriteTextAsync(string tree, string path, string text, int mode, CancellationToken cancellationToken) =>
        await WriteBytesAsync(tree, path, Encoding.UTF8.GetBytes(text), mode, cancellationToken);

    private static async Task WriteBytesAsync(string tree, string path, byte[] content, int mode, CancellationToken cancellationToken)
    {
        var full = Path.Combine(tree, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.Delete(full);
        await File.WriteAllBytesAsync(full, content, cancellationToken);
        File.SetUnixFileMode(full, (UnixFileMode)mode);
    }

    private async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(spec, cancellationToken);
        if (result.ExitCode != 0)
        {
            var why = (result.StandardError + "\n" + result.StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .LastOrDefault(l => l.Length > 0) ?? $"exit code {result.ExitCode}";
            throw new DriverException($"{spec.FileName} failed while building the image: {why}", terminal: true);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "image {Image} built: kernel {Kernel}, base disk {Bytes} bytes, {Seconds:0.0} s")]
    private static partial void LogBuilt(ILogger logger, string image, string kernel, long bytes, double seconds);
}
