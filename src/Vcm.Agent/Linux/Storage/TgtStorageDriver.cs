using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Linux.Storage;

/// <summary>
/// Exports volumes over iSCSI with one tgtd per host, started detached in the host's namespace with its own control
/// port (several lab hosts on one machine must not share /var/run/tgtd/socket.0) and its portal on the underlay
/// address. Per volume: a target named after the volume (<see cref="IqnPrefix"/> + name), LUN 1 backed by the file
/// volumes/NAME.img, an ACL of exactly the given initiator names (volumes/NAME.acl keeps it for a tgtd restart).
/// The targets live in tgtd, so a restarted agent finds them; when tgtd itself died, the next ensure starts it and
/// exports every volume file again.
/// </summary>
public sealed partial class TgtStorageDriver : IStorageDriver
{
    public const string IqnPrefix = "iqn.2026-11.io.vcm:";
    public const int IscsiPort = 3260;
    private const int DataLun = 1;
    private const string SocketFolder = "/var/run/tgtd";

    private readonly LinuxHostContext _context;
    private readonly HostCommands _host;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public TgtStorageDriver(LinuxHostContext context, ILogger<TgtStorageDriver>? logger = null)
    {
        _context = context;
        _host = new HostCommands(context);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        ControlPort = ControlPortFor(context.HostName);
    }

    /// <summary>tgtd's management channel (-C): /var/run/tgtd/socket.N.</summary>
    public int ControlPort { get; }

    /// <summary>Where initiators log in: the underlay address, port 3260.</summary>
    public string Portal => $"{_context.UnderlayAddress}:{IscsiPort}";

    private HostPaths Paths => _context.Paths;

    private string PidFile => Path.Combine(Paths.Tgt, "tgtd.pid");

    private string Marker => $"-C {ControlPort.ToString(CultureInfo.InvariantCulture)} --iscsi portal=";

    private DaemonSpec Daemon => new(
        "tgtd",
        ["-f", "-C", ControlPort.ToString(CultureInfo.InvariantCulture), "--iscsi", $"portal={Portal}"],
        PidFile,
        Path.Combine(Paths.Tgt, "tgtd.log"),
        Marker)
    { Netns = _context.Netns };

    /// <summary>A control port in 1000–31999 (tgtd takes at most 32767) derived from the host's name (FNV-1a), the same at every start.</summary>
    public static int ControlPortFor(string hostName)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(hostName))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return 1000 + (int)(hash % 31000u);
    }

    public static string Iqn(string volume) => IqnPrefix + volume;

    public async Task<Ensured<VolumeStatus>> EnsureVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken)
    {
        CheckSpec(spec);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureTgtdAsync(cancellationToken);
            var targets = await ShowAsync(cancellationToken);
            var file = VolumeFile(spec.Name);
            var changed = false;
            if (!File.Exists(file))
            {
                MakeFile(file, spec.SizeMb);
                changed = true;
            }

            await SaveAclAsync(spec.Name, spec.Initiators, cancellationToken);
            var (created, exportChanged) = await ExportAsync(spec.Name, spec.Initiators, targets, cancellationToken);
            var outcome = created ? EnsureOutcome.Created : changed || exportChanged ? EnsureOutcome.Updated : EnsureOutcome.Unchanged;
            if (outcome != EnsureOutcome.Unchanged)
            {
                LogExported(_logger, spec.Name, outcome.ToString(), string.Join(' ', spec.Initiators));
            }

            return new Ensured<VolumeStatus>(outcome, Status(spec.Name));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<DeleteOutcome> DeleteVolumeAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            return DeleteOutcome.Absent;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var found = false;
            if (Daemons.RunningPid(PidFile, Marker) is not null
                && (await ShowAsync(cancellationToken)).Find(t => t.Iqn == Iqn(name)) is { } target)
            {
                await DeleteTargetAsync(target.Tid, cancellationToken);
                found = true;
            }

            found |= DeleteFile(VolumeFile(name));
            DeleteFile(AclFile(name));
            if (found)
            {
                LogDeleted(_logger, name);
            }

            return found ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The volumes tgtd exports (none while tgtd does not run: the next ensure exports them again).</summary>
    public async Task<IReadOnlyList<VolumeStatus>> ListVolumesAsync(CancellationToken cancellationToken)
    {
        if (Daemons.RunningPid(PidFile, Marker) is null)
        {
            return [];
        }

        return (await ShowAsync(cancellationToken))
            .Where(t => t.Iqn.StartsWith(IqnPrefix, StringComparison.Ordinal) && t.Luns.Any(l => l.Lun == DataLun))
            .Select(t => Status(t.Iqn[IqnPrefix.Length..]))
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// For a host being torn down: removes every export, stops tgtd (by PID) and removes what it left in
    /// /var/run/tgtd. The volume files stay. Nothing running is fine.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Daemons.RunningPid(PidFile, Marker) is { } pid)
            {
                try
                {
                    foreach (var target in await ShowAsync(cancellationToken))
                    {
                        await DeleteTargetAsync(target.Tid, cancellationToken);
                    }

                    // tgtd leaves by itself once it has no targets and is told so; signals are the fallback.
                    await _host.RunAsync("tgtadm", ["-C", ControlPort.ToString(CultureInfo.InvariantCulture), "--lld", "iscsi", "--op", "delete", "--mode", "system"], cancellationToken);
                    for (var i = 0; i < 100 && Daemons.IsProcess(pid, Marker); i++)
                    {
                        await Task.Delay(30, cancellationToken);
                    }
                }
                catch (DriverException e)
                {
                    LogStopProblem(_logger, _context.HostName, e.Message);
                }

                await _context.Daemons.StopAsync(PidFile, Marker, TimeSpan.FromSeconds(3), cancellationToken);
                LogStopped(_logger, _context.HostName, pid);
            }

            DeleteFile(PidFile);
            RemoveSocketLeftovers();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RemoveSocketLeftovers()
    {
        var socket = Path.Combine(SocketFolder, "socket." + ControlPort.ToString(CultureInfo.InvariantCulture));
        DeleteFile(socket);
        DeleteFile(socket + ".lock");
        try
        {
            if (Directory.Exists(SocketFolder) && !Directory.EnumerateFileSystemEntries(SocketFolder).Any())
            {
                Directory.Delete(SocketFolder);
            }
        }
        catch (IOException)
        {
            // Another tgtd made its socket there meanwhile: the folder is its now.
        }
    }

    /// <summary>Deletes the file if it is there (also when its folder is not); answers whether it was.</summary>
    private static bool DeleteFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private VolumeStatus Status(string name)
    {
        var file = new FileInfo(VolumeFile(name));
        var sizeMb = file.Exists ? file.Length / (1024 * 1024) : 0;
        return new VolumeStatus(name, sizeMb, Portal, Iqn(name), DataLun);
    }

    private string VolumeFile(string name) => Path.Combine(Paths.Volumes, name + ".img");

    private string AclFile(string name) => Path.Combine(Paths.Volumes, name + ".acl");

    /// <summary>A sparse file of the size (as `truncate -s`): made once, never shrunk or wiped.</summary>
    private static void MakeFile(string file, long sizeMb)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.SetLength(sizeMb * 1024 * 1024);
        }

        File.Move(temp, file, overwrite: false);
    }

    private async Task SaveAclAsync(string name, IReadOnlyList<string> initiators, CancellationToken cancellationToken)
    {
        var file = AclFile(name);
        var temp = file + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(initiators.Distinct(StringComparer.Ordinal).ToList()), cancellationToken);
        File.Move(temp, file, overwrite: true);
    }

    private List<string> LoadAcl(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(File.ReadAllText(AclFile(name))) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return [];
        }
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 200
        && (char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0]))
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');

    private static void CheckSpec(VolumeSpec spec)
    {
        if (!IsValidName(spec.Name))
        {
            throw new DriverException($"'{spec.Name}' cannot be a volume name (it becomes an IQN: lower-case letters, digits, '-', '.')", terminal: true);
        }

        if (spec.SizeMb <= 0)
        {
            throw new DriverException($"volume {spec.Name} must have a size", terminal: true);
        }

        foreach (var initiator in spec.Initiators)
        {
            if (!IsInitiatorName(initiator))
            {
                throw new DriverException($"'{initiator}' is not an iSCSI initiator name (iqn.…, eui.…, naa.…)", terminal: true);
            }
        }
    }

    private static bool IsInitiatorName(string name) =>
        (name.StartsWith("iqn.", StringComparison.Ordinal) || name.StartsWith("eui.", StringComparison.Ordinal) || name.StartsWith("naa.", StringComparison.Ordinal))
        && name.Length <= 223 && name.All(c => c > ' ' && c < 127 && c != ',');
}
