using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Linux.Compute;

/// <summary>
/// Live migration. The receiver is the VM's ordinary command line plus <c>-incoming defer</c>; its disk node is
/// exported writable over NBD and its migration socket listens on the host's address (ports recorded in
/// incoming.json), or both on unix sockets in its folder for a migration that comes through a relay
/// (<see cref="IncomingVm.UnixSockets"/>). The source mirrors the top of its qcow2 overlay into that export (<c>drive-mirror sync=top</c>, in
/// write-blocking mode: once in sync every guest write reaches both disks before it completes, so the destination's
/// disk is current at the switch-over without pausing it), then migrates the memory, then ends the mirror. The
/// receiver resumes by itself at the switch-over and announces the guest's MAC (RARPs), so bridges and VXLAN learn
/// its new place.
/// </summary>
public sealed partial class QemuComputeDriver
{
    /// <summary>The mirror job's id on the source (one migration per VM at a time).</summary>
    private const string MirrorJob = "vcm-migrate";

    /// <summary>The receiver's NBD export of its disk (its name in <see cref="IncomingVm.DiskUri"/>).</summary>
    private const string DiskExport = "disk0";

    private static readonly string[] ActiveStates =
        ["setup", "active", "pre-switchover", "device", "wait-unplug", "postcopy-active", "postcopy-paused", "postcopy-recover", "cancelling"];

    public async Task<Ensured<IncomingVm>> PrepareIncomingAsync(VmSpec spec, string listenAddress, CancellationToken cancellationToken)
    {
        CheckName(spec.Name);
        var vm = VmFolder.For(Paths, spec.Name);
        using (await _locks.AcquireAsync(spec.Name, cancellationToken))
        {
            var running = Daemons.RunningPid(vm.PidFile, vm.Marker) is not null;
            if (File.Exists(vm.SpecFile) || File.Exists(vm.MigratedFile) || (running && !File.Exists(vm.IncomingFile)))
            {
                throw new DriverException($"VM {spec.Name} already exists on {_context.HostName}: it cannot receive a migration", terminal: true);
            }

            if (running && await ReadJsonAsync<IncomingVm>(vm.IncomingFile, cancellationToken) is { } existing)
            {
                return new Ensured<IncomingVm>(EnsureOutcome.Unchanged, existing);
            }

            // a receiver whose QEMU died cannot be resumed: its migration starts over on a new one
            if (File.Exists(vm.IncomingFile))
            {
                File.Delete(vm.IncomingFile);
            }

            IncomingVm? incoming = null;
            await StartAsync(spec, vm, cancellationToken, incoming: true, ready: async () =>
            {
                incoming = await ListenAsync(spec, vm, listenAddress, cancellationToken);
                await WriteJsonAsync(vm.IncomingFile, incoming);
            });
            LogIncoming(_logger, spec.Name, incoming!.MigrationUri, incoming.DiskUri);
            return new Ensured<IncomingVm>(EnsureOutcome.Created, incoming);
        }
    }

    public async Task<MigrationReport> MigrateVmAsync(string name, IncomingVm destination, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            return Failed($"'{name}' cannot be a VM name");
        }

        var vm = VmFolder.For(Paths, name);
        using (await _locks.AcquireAsync(name, cancellationToken))
        {
            if (await ReadJsonAsync<MigrationReport>(vm.MigratedFile, cancellationToken) is { } done)
            {
                return done;
            }

            if (Daemons.RunningPid(vm.PidFile, vm.Marker) is null || !File.Exists(vm.SpecFile))
            {
                return Failed($"VM {name} does not run on {_context.HostName}");
            }

            // only the top of the overlay moves: the receiver's must sit on the same image version
            if (destination.Image is { } theirs && await ReadJsonAsync<VmSpec>(vm.SpecFile, cancellationToken) is { } spec
                && ImageOf(spec.Disk) is { } ours && ours != theirs)
            {
                return Failed($"VM {name}'s disk is over image {ours} on {_context.HostName}, the receiver's over {theirs}: their disks would differ, so it was not moved");
            }

            try
            {
                await using var qmp = await QmpClient.ConnectAsync(vm.QmpSocket, cancellationToken);
                var status = (await qmp.ExecuteAsync("query-migrate", cancellationToken))?["status"]?.GetValue<string>();
                if (status != "completed" && !ActiveStates.Contains(status))
                {
                    try
                    {
                        await StartMigrationAsync(qmp, vm, destination, cancellationToken);
                    }
                    catch (DriverException e)
                    {
                        return await RecoverAsync(qmp, vm, e.Message, cancellationToken);
                    }
                }

                return await FinishMigrationAsync(qmp, vm, cancellationToken);
            }
            catch (Exception e) when (e is SocketException or IOException or JsonException)
            {
                return Failed($"QEMU of VM {name} stopped answering during its migration: {e.Message}");
            }
        }
    }

    /// <summary>Mirrors the disk into the receiver's export until it is in sync, then starts the memory migration.</summary>
    private async Task StartMigrationAsync(QmpClient qmp, VmFolder vm, IncomingVm destination, CancellationToken cancellationToken)
    {
        await WriteJsonAsync(vm.MigratingFile, destination);
        await qmp.ExecuteAsync("migrate-set-capabilities", cancellationToken, new JsonObject
        {
            ["capabilities"] = new JsonArray(new JsonObject { ["capability"] = "auto-converge", ["state"] = true }),
        });
        await qmp.ExecuteAsync("migrate-set-parameters", cancellationToken, new JsonObject
        {
            ["downtime-limit"] = (long)_options.MigrationDowntimeLimit.TotalMilliseconds,
            ["max-bandwidth"] = _options.MigrationBandwidth,
        });

        if (await MirrorJobAsync(qmp, cancellationToken) is null)
        {
            await qmp.ExecuteAsync("drive-mirror", cancellationToken, new JsonObject
            {
                ["device"] = QemuCommandLine.DiskNode, ["job-id"] = MirrorJob, ["target"] = destination.DiskUri,
                ["format"] = "raw", ["sync"] = "top", ["mode"] = "existing", ["copy-mode"] = "write-blocking",
            });
        }

        var deadline = _context.Clock.GetUtcNow() + _options.MigrationTimeout;
        while (true)
        {
            var job = await MirrorJobAsync(qmp, cancellationToken)
                ?? throw new DriverException($"the copy of VM {vm.Name}'s disk to {destination.Host} ended before it was in sync ({destination.DiskUri} gone?)");
            if (job["ready"]?.GetValue<bool>() == true)
            {
                break;
            }

            if (_context.Clock.GetUtcNow() > deadline)
            {
                throw new DriverException($"the copy of VM {vm.Name}'s disk to {destination.Host} was not in sync within {_options.MigrationTimeout.TotalMinutes:0.#} min");
            }

            await Task.Delay(50, cancellationToken);
        }

        LogMigrating(_logger, vm.Name, destination.Host, destination.MigrationUri);
        await qmp.ExecuteAsync("migrate", cancellationToken, new JsonObject { ["uri"] = destination.MigrationUri });
    }

    /// <summary>Waits for the migration to end; then ends the mirror and, if it failed, makes sure the VM runs here.</summary>
    private async Task<MigrationReport> FinishMigrationAsync(QmpClient qmp, VmFolder vm, CancellationToken cancellationToken)
    {
        JsonNode? state;
        var deadline = _context.Clock.GetUtcNow() + _options.MigrationTimeout;
        try
        {
            while (true)
            {
                state = await qmp.ExecuteAsync("query-migrate", cancellationToken);
                var status = state?["status"]?.GetValue<string>();
                if (!ActiveStates.Contains(status))
                {
                    break;
                }

                if (_context.Clock.GetUtcNow() > deadline)
                {
                    await qmp.ExecuteAsync("migrate_cancel", cancellationToken);
                    throw new DriverException($"the migration of VM {vm.Name} did not complete within {_options.MigrationTimeout.TotalMinutes:0.#} min");
                }

                await Task.Delay(20, cancellationToken);
            }
        }
        catch (DriverException e)
        {
            return await RecoverAsync(qmp, vm, e.Message, cancellationToken);
        }

        if (state?["status"]?.GetValue<string>() != "completed")
        {
            var error = state?["error-desc"]?.GetValue<string>() ?? $"QEMU reports the migration {state?["status"]}";
            return await RecoverAsync(qmp, vm, error, cancellationToken);
        }

        // the mirror is in sync and the guest paused here since the switch-over: cancelling it leaves the copy complete
        var diskBytes = (await MirrorJobAsync(qmp, cancellationToken))?["offset"]?.GetValue<long>() ?? 0;
        await EndMirrorAsync(qmp, vm, force: false, cancellationToken);
        var report = new MigrationReport(
            MigrationOutcome.Completed,
            state["total-time"]?.GetValue<long>() ?? 0,
            state["downtime"]?.GetValue<long>() ?? 0,
            state["setup-time"]?.GetValue<long>() ?? 0,
            state["ram"]?["transferred"]?.GetValue<long>() ?? 0,
            diskBytes);
        await WriteJsonAsync(vm.MigratedFile, report);
        LogMigrated(_logger, vm.Name, report.TotalMs, report.DowntimeMs, report.MemoryBytes, report.DiskBytes);
        return report;
    }

    /// <summary>After a failed migration: the mirror ended, the guest running here again; the failure's report.</summary>
    private async Task<MigrationReport> RecoverAsync(QmpClient qmp, VmFolder vm, string error, CancellationToken cancellationToken)
    {
        LogMigrationFailed(_logger, vm.Name, error);
        await EndMirrorAsync(qmp, vm, force: true, cancellationToken);
        var status = (await qmp.ExecuteAsync("query-status", cancellationToken))?["status"]?.GetValue<string>();
        if (status is "paused" or "postmigrate" or "finish-migrate")
        {
            await qmp.ExecuteAsync("cont", cancellationToken);
        }

        File.Delete(vm.MigratingFile);
        return Failed(error);
    }

    private static async Task<JsonNode?> MirrorJobAsync(QmpClient qmp, CancellationToken cancellationToken) =>
        (await qmp.ExecuteAsync("query-block-jobs", cancellationToken) as JsonArray ?? [])
            .FirstOrDefault(job => job?["device"]?.GetValue<string>() == MirrorJob);

    /// <summary>Cancels the mirror job (a ready one completes its copy first) and waits until it is gone.</summary>
    private async Task EndMirrorAsync(QmpClient qmp, VmFolder vm, bool force, CancellationToken cancellationToken)
    {
        var deadline = _context.Clock.GetUtcNow() + _options.StopGrace;
        while (await MirrorJobAsync(qmp, cancellationToken) is { } job)
        {
            if (job["status"]?.GetValue<string>() is "ready" or "running" or "paused")
            {
                try
                {
                    await qmp.ExecuteAsync("block-job-cancel", cancellationToken, new JsonObject { ["device"] = MirrorJob, ["force"] = force });
                }
                catch (DriverException)
                {
                    // it ended between the query and the cancel
                }
            }
            else if (job["status"]?.GetValue<string>() is "concluded")
            {
                await qmp.ExecuteAsync("job-dismiss", cancellationToken, new JsonObject { ["id"] = MirrorJob });
            }

            if (_context.Clock.GetUtcNow() > deadline)
            {
                if (force)
                {
                    throw new DriverException($"VM {vm.Name}'s disk mirror did not end within {2 * _options.StopGrace.TotalSeconds:0.#} s of its cancel");
                }

                (force, deadline) = (true, deadline + _options.StopGrace);
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// What <see cref="EnsureVmAsync"/> makes of a folder a migration touched: null when it is an ordinary VM; else
    /// the error that keeps it from being started or adopted. A receiver whose migration completed (its guest runs)
    /// is adopted here: its NBD server stops and its spec is recorded.
    /// </summary>
    private async Task<DriverException?> AdoptMigratedAsync(VmSpec spec, VmFolder vm, bool running, CancellationToken cancellationToken)
    {
        if (File.Exists(vm.MigratedFile))
        {
            return new DriverException($"VM {spec.Name} migrated away from {_context.HostName}: it is not started here again (delete it)", terminal: true);
        }

        if (File.Exists(vm.IncomingFile) && !File.Exists(vm.SpecFile))
        {
            var status = running ? await QueryStatusAsync(vm, cancellationToken) : null;
            if (status != "running")
            {
                return new DriverException(running
                    ? $"VM {spec.Name} on {_context.HostName} is the receiving end of a migration that has not completed (QEMU: {status ?? "no answer"}): it is not started as a second copy"
                    : $"VM {spec.Name} on {_context.HostName} was the receiving end of a migration and its QEMU died before the migration completed: it is not started (delete it)",
                    terminal: !running);
            }

            await TryQmpAsync(vm, "nbd-server-stop", cancellationToken);
            DeleteIncomingSockets(vm);
            await WriteSpecAsync(spec, vm);
            File.Delete(vm.IncomingFile);
            LogAdopted(_logger, spec.Name);
            return null;
        }

        if (running && File.Exists(vm.MigratingFile) && await QueryStatusAsync(vm, cancellationToken) == "postmigrate")
        {
            return new DriverException($"VM {spec.Name} migrated away from {_context.HostName}: it is not resumed here (delete it)", terminal: true);
        }

        return null;
    }

    /// <summary>The state ListVms reports of a running VM that a migration touched (null: none touched it).</summary>
    private static async Task<VmState?> MigrationStateAsync(VmFolder vm, CancellationToken cancellationToken)
    {
        if (File.Exists(vm.MigratedFile))
        {
            return VmState.Migrated;
        }

        if (File.Exists(vm.IncomingFile) && !File.Exists(vm.SpecFile))
        {
            return await QueryStatusAsync(vm, cancellationToken) == "running" ? VmState.Running : VmState.Incoming;
        }

        if (File.Exists(vm.MigratingFile))
        {
            return await QueryStatusAsync(vm, cancellationToken) == "postmigrate" ? VmState.Migrated : VmState.Running;
        }

        return null;
    }

    private static MigrationReport Failed(string error) => new(MigrationOutcome.Failed, 0, 0, 0, 0, 0, error);

    private static async Task<T?> ReadJsonAsync<T>(string file, CancellationToken cancellationToken)
        where T : class
    {
        if (!File.Exists(file))
        {
            return null;
        }

        await using var stream = File.OpenRead(file);
        return await JsonSerializer.DeserializeAsync<T>(stream, AgentJson.Options, cancellationToken);
    }

    private static async Task WriteJsonAsync<T>(string file, T value)
    {
        var temp = file + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(value, AgentJson.Options), CancellationToken.None);
        File.Move(temp, file, overwrite: true);
    }
}
