using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Compute;

/// <summary>
/// Runs each VM as one detached <c>qemu-system-x86_64</c> process in the host's namespace (it outlives the agent),
/// with its files in vms/NAME/ (see <see cref="VmFolder"/>). Everything the driver knows comes from those files and
/// the process table: the PID file plus the marker on QEMU's command line tell whether a VM runs, so a VM that died
/// is seen as stopped and a restarted agent (a new driver over the same folder) finds its running VMs again.
/// </summary>
public sealed partial class QemuComputeDriver : IComputeDriver
{
    private readonly LinuxHostContext _context;
    private readonly HostCommands _host;
    private readonly KvmProbe _probe;
    private readonly QemuComputeOptions _options;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();

    public QemuComputeDriver(LinuxHostContext context, KvmProbe? probe = null, QemuComputeOptions? options = null, ILogger<QemuComputeDriver>? logger = null)
    {
        _context = context;
        _host = new HostCommands(context);
        _options = options ?? new QemuComputeOptions();
        _probe = probe ?? KvmProbe.ForHost(context, logger);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Hardware acceleration as last probed on this boot of the host (false until a VM start probed it).</summary>
    public ComputeCapabilities Capabilities => new(HardwareAcceleration: _probe.Cached?.Kvm ?? false, LiveMigration: true, IscsiVolumes: true);

    public KvmProbe Probe => _probe;

    /// <summary>How many VM names are being ensured or deleted now (or waited for): a name's lock lives only that long.</summary>
    public int LockedNames => _locks.Count;

    /// <summary>The name of the VM's tap on its bridge: "vct" + 8 hex digits of a hash of the VM's name.</summary>
    public static string TapName(string vm) => VmFolder.TapName(vm);

    private HostPaths Paths => _context.Paths;

    public async Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec, CancellationToken cancellationToken)
    {
        CheckName(spec.Name);
        var vm = VmFolder.For(Paths, spec.Name);
        using (await _locks.AcquireAsync(spec.Name, cancellationToken))
        {
            var running = Daemons.RunningPid(vm.PidFile, vm.Marker) is not null;
            var hadSpec = File.Exists(vm.SpecFile);
            if (await AdoptMigratedAsync(spec, vm, running, cancellationToken) is { } refused)
            {
                throw refused;
            }

            if (running && !hadSpec && File.Exists(vm.SpecFile))
            {
                // a receiver whose migration completed: now an ordinary VM
                return new Ensured<VmStatus>(EnsureOutcome.Updated, new VmStatus(spec.Name, VmState.Running));
            }

            if (running)
            {
                if (!File.Exists(vm.SpecFile))
                {
                    // Started by a run that crashed before it recorded the start: adopt it, unless it waits for a
                    // migration (a receiver whose preparation crashed): that guest is not ours to run.
                    if (await QueryStatusAsync(vm, cancellationToken) == "inmigrate")
                    {
                        throw new DriverException($"VM {spec.Name} on {_context.HostName} waits for a migration that was never set up: it is not started as a second copy (delete it)", terminal: true);
                    }

                    await WriteSpecAsync(spec, vm);
                }

                return new Ensured<VmStatus>(EnsureOutcome.Unchanged, new VmStatus(spec.Name, VmState.Running));
            }

            var existed = File.Exists(vm.SpecFile);
            await StartAsync(spec, vm, cancellationToken);
            return new Ensured<VmStatus>(existed ? EnsureOutcome.Updated : EnsureOutcome.Created, new VmStatus(spec.Name, VmState.Running));
        }
    }

    public async Task<DeleteOutcome> DeleteVmAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            return DeleteOutcome.Absent;
        }

        var vm = VmFolder.For(Paths, name);
        using (await _locks.AcquireAsync(name, cancellationToken))
        {
            var found = Directory.Exists(vm.Directory);
            if (Daemons.RunningPid(vm.PidFile, vm.Marker) is { } pid)
            {
                await StopProcessAsync(vm, pid, cancellationToken);
                found = true;
            }

            found |= await DeleteTapAsync(vm.Tap, cancellationToken);
            if (Directory.Exists(vm.Directory))
            {
                Directory.Delete(vm.Directory, recursive: true);
            }

            if (found)
            {
                LogDeleted(_logger, name);
            }

            return found ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
        }
    }

    /// <summary>
    /// Every VM folder that holds a started VM or a migration's receiver: Running when its QEMU lives, else Stopped
    /// ("died"); a receiver still waiting is Incoming, a VM that migrated away is Migrated.
    /// </summary>
    public async Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken)
    {
        var vms = new List<VmStatus>();
        if (Directory.Exists(Paths.Vms))
        {
            foreach (var dir in Directory.EnumerateDirectories(Paths.Vms).Order(StringComparer.Ordinal))
            {
                var vm = VmFolder.For(Paths, Path.GetFileName(dir));
                if (!IsValidName(vm.Name) || !(File.Exists(vm.SpecFile) || File.Exists(vm.IncomingFile)))
                {
                    continue;
                }

                var pid = Daemons.RunningPid(vm.PidFile, vm.Marker);
                var state = pid is null
                    ? File.Exists(vm.MigratedFile) ? VmState.Migrated : VmState.Stopped
                    : await MigrationStateAsync(vm, cancellationToken) ?? VmState.Running;
                vms.Add(state switch
                {
                    VmState.Running => new VmStatus(vm.Name, state, Usage: ProcessUsage.Of(pid!.Value) is { } used ? new VmUsage(used.CpuSeconds, used.ResidentBytes) : null),
                    VmState.Stopped => new VmStatus(vm.Name, state, "died"),
                    _ => new VmStatus(vm.Name, state),
                });
            }
        }

        return vms;
    }

    public async Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken)
    {
        var vm = VmFolder.For(Paths, name);
        if (!IsValidName(name) || !(File.Exists(vm.SpecFile) || File.Exists(vm.IncomingFile)))
        {
            return null;
        }

        if (!File.Exists(vm.ConsoleLog))
        {
            return "";
        }

        await using var stream = new FileStream(vm.ConsoleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = (int)Math.Min(stream.Length, Math.Max(0, maxBytes));
        stream.Seek(-length, SeekOrigin.End);
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer);
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void CheckName(string name)
    {
        if (!IsValidName(name))
        {
            throw new DriverException($"'{name}' cannot be a VM name (letters, digits, '-', '_', '.'; not starting with '.')", terminal: true);
        }
    }
}
