using Vcm.Api;
using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>
/// What a tenant does first on a Slurm cluster of Debian nodes, checked from inside: a job on every worker at once,
/// /home one file system on every node, the tenant's MPI source (put on the head with --file) built there and run over
/// all nodes by mpirun (SSH between the nodes, host keys checked) and over the workers by srun through PMIx. The
/// same check runs on a cluster of one site and on one spread over two.
/// </summary>
public static class SlurmCluster
{
    public const string HelloPath = "/home/mpi/hello.c";

    public const string Packages = "openmpi-bin,libopenmpi-dev,gcc";

    private const string MpiHello = """
        #include <mpi.h>
        #include <stdio.h>
        int main(int argc, char **argv) {
          int rank, size, len; char name[MPI_MAX_PROCESSOR_NAME];
          MPI_Init(&argc, &argv);
          MPI_Comm_rank(MPI_COMM_WORLD, &rank);
          MPI_Comm_size(MPI_COMM_WORLD, &size);
          MPI_Get_processor_name(name, &len);
          printf("rank %d of %d on %s\n", rank, size, name);
          MPI_Finalize();
          return 0;
        }

        """;

    /// <summary>The MPI hello world in the lab's folder, for --file LOCAL:<see cref="HelloPath"/>.</summary>
    public static async Task<string> WriteHelloAsync(LabFixture lab)
    {
        var source = Path.Combine(lab.DataDirectory, "mpi-hello.c");
        await File.WriteAllTextAsync(source, MpiHello);
        return source;
    }

    public static async Task CheckAsync(LabFixture lab, ClusterView cluster)
    {
        var name = cluster.Name;
        var workers = cluster.Nodes!.Where(n => n.Role == "worker").Select(n => n.Name).Order(StringComparer.Ordinal).ToList();
        var all = cluster.Nodes!.Select(n => n.Name).Order(StringComparer.Ordinal).ToList();

        // No node said that part of its set-up failed.
        Assert.DoesNotContain(await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", name), e => e.Reason == "SetupIncomplete");

        // Ready means Slurm runs: a job on every worker at once.
        var srun = await lab.SshAsync(name, "head", $"srun -N{workers.Count} hostname | sort");
        Assert.True(srun.ExitCode == 0, srun.StandardError);
        Assert.Equal(workers, Lines(srun.StandardOutput));

        // /home is one file system: written on the first worker, read on the last.
        var write = await lab.SshAsync(name, workers[0], $"echo {cluster.Id} > /home/from-{workers[0]}");
        Assert.True(write.ExitCode == 0, write.StandardError);
        var read = await lab.SshAsync(name, workers[^1], $"cat /home/from-{workers[0]}; findmnt -n -o FSTYPE /home");
        Assert.Equal([cluster.Id, "nfs4"], Lines(read.StandardOutput));

        // The tenant's file is on the head; the MPI program built from it runs a rank on every node.
        var hosts = string.Join(',', all);
        var mpirun = await lab.SshAsync(name, "head",
            $"cd {Path.GetDirectoryName(HelloPath)} && mpicc -o hello hello.c && mpirun --allow-run-as-root -np {all.Count} --host {hosts} ./hello | sort");
        Assert.True(mpirun.ExitCode == 0, mpirun.StandardOutput + mpirun.StandardError);
        Assert.Equal(all.Select((n, i) => $"rank {i} of {all.Count} on {n}"), Lines(mpirun.StandardOutput));
        var pmix = await lab.SshAsync(name, "head", $"srun -N{workers.Count} --mpi=pmix {Path.GetDirectoryName(HelloPath)}/hello | sort");
        Assert.True(pmix.ExitCode == 0, pmix.StandardError);
        Assert.Equal(workers.Select((n, i) => $"rank {i} of {workers.Count} on {n}"), Lines(pmix.StandardOutput));

        // SSH between the nodes checks host keys, with no known_hosts file prepared.
        var strict = await lab.SshAsync(name, workers[^1], $"ssh -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null {workers[0]} hostname");
        Assert.True(strict.ExitCode == 0, strict.StandardError);
        Assert.Equal(workers[0], strict.StandardOutput.Trim());
    }

    public static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
