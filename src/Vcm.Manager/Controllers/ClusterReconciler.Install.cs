using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Drivers.Network;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// A node that phoned home after installing its packages at boot: an event with what it installed and how long it
    /// took against the estimate (a Warning with apt's error when it failed — the node is up, its packages are not),
    /// and a sample for the cost model, written with the rest of the pass.
    /// </summary>
    /// <summary>What a node's phone-home says beyond "up": its install at boot, and the set-up steps that failed (a Warning).</summary>
    private static void RecordReport(ClusterScope scope, NodeRecord record, NodeReport report)
    {
        var node = record.Name;
        if (ReportedHostKey.Mismatch(record, report) is { } mismatch)
        {
            scope.Event(EventType.Warning, EventReason.HostKeyMismatch, mismatch);
        }

        if (report.Install is { } install)
        {
            RecordInstall(scope, node, install);
        }

        if (report.SetupProblems.Length > 0)
        {
            scope.Event(EventType.Warning, EventReason.SetupIncomplete,
                $"{node} is up, but its set-up is incomplete: {report.SetupProblems} (vcm node console {scope.Cluster.Name} {node} shows more)");
        }
    }

    private static void RecordInstall(ClusterScope scope, string node, InstallReport install)
    {
        var estimated = scope.Cluster.Estimate?.Considered.FirstOrDefault(w => w.Way == scope.Cluster.Estimate.Way) is { } chosen
            ? $" (the whole way was estimated at {chosen.Seconds:0} s)"
            : "";
        if (install.Succeeded)
        {
            scope.Event(EventType.Normal, EventReason.PackagesInstalled,
                $"{node} installed {install.Count} packages at boot in {install.Seconds:0.0} s from the site's package cache{estimated}");
        }
        else
        {
            scope.Event(EventType.Warning, EventReason.PackagesInstalled,
                $"{node} could not install its packages at boot (apt exit {install.Rc} after {install.Seconds:0.0} s): {(install.Error.Length > 0 ? install.Error : "see vcm node console")}");
        }

        scope.Session.Add(new InstallSampleRecord
        {
            Id = Ids.New(),
            ClusterId = scope.Cluster.Id,
            Node = node,
            Image = scope.Cluster.Layer ?? scope.Spec.Image,
            Packages = install.Count,
            DurationMs = (long)(install.Seconds * 1000),
            Rc = install.Rc,
            AtMs = scope.NowMs,
        });
    }
}
