using System.Globalization;
using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Storage;

public sealed partial class TgtStorageDriver
{
    /// <summary>
    /// Starts tgtd unless it runs; after a start, waits for its control socket and exports every volume file again
    /// (with its saved ACL), so a tgtd that died comes back with what it served.
    /// </summary>
    private async Task EnsureTgtdAsync(CancellationToken cancellationToken)
    {
        if (Daemons.RunningPid(PidFile, Marker) is not null)
        {
            return;
        }

        Directory.CreateDirectory(Paths.Tgt);
        var pid = await _context.Daemons.StartAsync(Daemon, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var result = await TgtAdmRawAsync(["--op", "show", "--mode", "sys"], cancellationToken);
            if (result.Succeeded)
            {
                break;
            }

            if (!Daemons.IsProcess(pid, Marker) || attempt >= 200)
            {
                throw new DriverException($"tgtd on {_context.HostName} did not come up: {Daemons.Tail(Daemon.LogFile)}");
            }

            await Task.Delay(50, cancellationToken);
        }

        LogTgtdStarted(_logger, _context.HostName, pid, ControlPort, Portal);
        if (!Directory.Exists(Paths.Volumes))
        {
            return;
        }

        var targets = await ShowAsync(cancellationToken);
        foreach (var file in Directory.EnumerateFiles(Paths.Volumes, "*.img").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (IsValidName(name))
            {
                var (_, _) = await ExportAsync(name, LoadAcl(name), targets, cancellationToken);
                targets = await ShowAsync(cancellationToken);
                LogRestored(_logger, name);
            }
        }
    }

    /// <summary>
    /// Makes the volume's target, LUN and ACL match: answers whether the target was made now, and whether an existing
    /// one had to change (a missing LUN, a different ACL).
    /// </summary>
    private async Task<(bool Created, bool Changed)> ExportAsync(string name, IReadOnlyList<string> initiators, List<TgtTarget> targets, CancellationToken cancellationToken)
    {
        var iqn = Iqn(name);
        var target = targets.Find(t => t.Iqn == iqn);
        var created = false;
        if (target is null)
        {
            var tid = Enumerable.Range(1, int.MaxValue - 1).First(n => !targets.Exists(t => t.Tid == n));
            await TgtAdmAsync(["--op", "new", "--mode", "target", "--tid", Text(tid), "-T", iqn], $"making target {iqn}", cancellationToken);
            target = new TgtTarget(tid, iqn, [], []);
            created = true;
        }

        var changed = false;
        if (!target.Luns.Any(l => l.Lun == DataLun))
        {
            await TgtAdmAsync(
                ["--op", "new", "--mode", "logicalunit", "--tid", Text(target.Tid), "--lun", Text(DataLun), "-b", VolumeFile(name)],
                $"adding the LUN of volume {name}",
                cancellationToken);
            changed = true;
        }

        var wanted = initiators.Distinct(StringComparer.Ordinal).ToList();
        foreach (var entry in target.Acl.Where(a => !wanted.Contains(a, StringComparer.Ordinal)))
        {
            // Entries made by name (-Q) are initiator names; anything else (an address, ALL) was made with -I.
            var option = IsInitiatorName(entry) ? "-Q" : "-I";
            await TgtAdmAsync(["--op", "unbind", "--mode", "target", "--tid", Text(target.Tid), option, entry], $"removing {entry} from the ACL of {iqn}", cancellationToken);
            changed = true;
        }

        foreach (var initiator in wanted.Where(i => !target.Acl.Contains(i, StringComparer.Ordinal)))
        {
            await TgtAdmAsync(["--op", "bind", "--mode", "target", "--tid", Text(target.Tid), "-Q", initiator], $"adding {initiator} to the ACL of {iqn}", cancellationToken);
            changed = true;
        }

        return (created, changed && !created);
    }

    private Task DeleteTargetAsync(int tid, CancellationToken cancellationToken) =>
        TgtAdmAsync(["--op", "delete", "--force", "--mode", "target", "--tid", Text(tid)], $"deleting target {tid}", cancellationToken);

    private async Task<List<TgtTarget>> ShowAsync(CancellationToken cancellationToken)
    {
        var result = await TgtAdmAsync(["--op", "show", "--mode", "target"], "listing targets", cancellationToken);
        return TgtShowParser.Parse(result.StandardOutput);
    }

    /// <summary>Runs tgtadm against this host's tgtd, retrying a few times when it cannot reach the daemon.</summary>
    private async Task<ProcessResult> TgtAdmAsync(IReadOnlyList<string> arguments, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await TgtAdmRawAsync(arguments, cancellationToken);
            if (result.Succeeded || attempt >= 3 || !result.StandardError.Contains("tgt daemon", StringComparison.Ordinal))
            {
                return HostCommands.Check(result, what + $" on {_context.HostName}");
            }

            await Task.Delay(200 * attempt, cancellationToken);
        }
    }

    private Task<ProcessResult> TgtAdmRawAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        _host.RunAsync("tgtadm", ["-C", Text(ControlPort), "--lld", "iscsi", .. arguments], cancellationToken, TimeSpan.FromSeconds(30));

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
}
