using System.Globalization;
using System.Text;

namespace Vcm.Agent.Metadata;

/// <summary>
/// The slurm.conf of a Slurm cluster, from its real node list: the head is the controller, every worker a node of
/// the default partition with the cluster's CPUs and a little less memory than its VM has (what the guest's kernel
/// keeps is not the node's; a RealMemory above what slurmd sees would drain the node). No cgroups (the guests run
/// no systemd): processes are tracked by their parents, tasks are not bound. MPI jobs start through PMIx.
/// </summary>
public static class SlurmConfig
{
    public const string Partition = "workers";

    public static string For(string cluster, IReadOnlyList<MetadataNode> nodes)
    {
        var head = nodes.FirstOrDefault(n => n.Head)
            ?? throw new InvalidOperationException($"cluster {cluster} has no head node to be its Slurm controller.");
        var workers = nodes.Where(n => !n.Head).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            # slurm.conf of cluster {cluster}, written by vcm from its node list
            ClusterName={ClusterName(cluster)}
            SlurmctldHost={head.Name}({head.Ip})
            AuthType=auth/munge
            CredType=cred/munge
            SlurmUser=slurm
            SlurmdUser=root
            StateSaveLocation=/var/spool/slurmctld
            SlurmdSpoolDir=/var/spool/slurmd
            SlurmctldPidFile=/run/slurmctld.pid
            SlurmdPidFile=/run/slurmd.pid
            SlurmctldLogFile=/var/log/slurm/slurmctld.log
            SlurmdLogFile=/var/log/slurm/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/backfill
            MpiDefault=pmix
            ReturnToService=2
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            SlurmctldTimeout=120
            SlurmdTimeout=300

            """);
        foreach (var node in workers)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"NodeName={node.Name} NodeAddr={node.Ip} CPUs={Math.Max(node.Cpus, 1)} RealMemory={RealMemory(node.MemoryMb)} State=UNKNOWN\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"PartitionName={Partition} Nodes={string.Join(',', workers.Select(n => n.Name))} Default=YES MaxTime=INFINITE State=UP\n");
        return text.ToString();
    }

    /// <summary>The memory slurmd will find, in MiB: the VM's less an eighth (at least 96 MiB) for the guest's kernel.</summary>
    public static long RealMemory(long memoryMb) => Math.Max(1, memoryMb - Math.Max(memoryMb / 8, 96));

    /// <summary>Slurm's cluster name: lower case, at most 40 characters.</summary>
    private static string ClusterName(string cluster) => cluster.Length <= 40 ? cluster : cluster[..40];
}
