using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vcm.Drivers;
using Vcm.Drivers.Compute;

namespace Vcm.Agent.Linux.Compute;

/// <summary>
/// The receiving end's listeners: the NBD export of its disk and its migration socket, either on the host's address
/// (TCP, ports this host had free) or, for a migration that reaches it through a relay (<see cref="IncomingVm.UnixSockets"/>),
/// on unix sockets in its VM folder (<see cref="VmFolder.IncomingMemorySocket"/>, <see cref="VmFolder.IncomingDiskSocket"/>).
/// </summary>
public sealed partial class QemuComputeDriver
{
    /// <summary>The receiver's NBD export and migration socket.</summary>
    private async Task<IncomingVm> ListenAsync(VmSpec spec, VmFolder vm, string listenAddress, CancellationToken cancellationToken)
    {
        var unix = listenAddress == IncomingVm.UnixSockets;
        if (unix)
        {
            CheckSocketPath(vm.IncomingMemorySocket);
            CheckSocketPath(vm.IncomingDiskSocket);
            DeleteIncomingSockets(vm);
        }

        await using var qmp = await QmpClient.ConnectAsync(vm.QmpSocket, cancellationToken);

        // QEMU's self-announce after the switch-over: RARPs of the guest's MAC, so the segment learns where it is now
        await qmp.ExecuteAsync("migrate-set-parameters", cancellationToken, new JsonObject
        {
            ["announce-initial"] = 50, ["announce-max"] = 550, ["announce-rounds"] = 5, ["announce-step"] = 100,
        });

        var host = listenAddress.Contains(':', StringComparison.Ordinal) ? $"[{listenAddress}]" : listenAddress;
        var nbdPort = 0;
        if (unix)
        {
            await qmp.ExecuteAsync("nbd-server-start", cancellationToken, new JsonObject
            {
                ["addr"] = new JsonObject { ["type"] = "unix", ["data"] = new JsonObject { ["path"] = vm.IncomingDiskSocket } },
            });
        }
        else
        {
            nbdPort = await StartNbdServerAsync(qmp, listenAddress, cancellationToken);
        }

        await qmp.ExecuteAsync("block-export-add", cancellationToken, new JsonObject
        {
            ["type"] = "nbd", ["id"] = DiskExport, ["node-name"] = QemuCommandLine.DiskNode, ["name"] = DiskExport, ["writable"] = true,
        });

        if (unix)
        {
            await qmp.ExecuteAsync("migrate-incoming", cancellationToken, new JsonObject { ["uri"] = "unix:" + vm.IncomingMemorySocket });
            return new IncomingVm(spec.Name, _context.HostName, "unix:" + vm.IncomingMemorySocket, $"nbd+unix:///{DiskExport}?socket={vm.IncomingDiskSocket}")
            {
                Image = ImageOf(spec.Disk),
            };
        }

        // port 0: the kernel picks a free one, which QEMU then reports
        await qmp.ExecuteAsync("migrate-incoming", cancellationToken, new JsonObject { ["uri"] = $"tcp:{host}:0" });
        var listening = await qmp.ExecuteAsync("query-migrate", cancellationToken);
        var port = listening?["socket-address"]?[0]?["port"]?.GetValue<string>()
            ?? throw new DriverException($"QEMU of VM {spec.Name} did not say which port its incoming migration listens on");
        return new IncomingVm(spec.Name, _context.HostName, $"tcp:{host}:{port}", $"nbd:{host}:{nbdPort}:exportname={DiskExport}")
        {
            Image = ImageOf(spec.Disk),
        };
    }

    /// <summary>The image version (NAME@VERSION) a disk of this host is an overlay of, or null.</summary>
    private string? ImageOf(string disk) => Images.ImageCache.BootFolder(Paths.Disk(disk)) is { } folder ? Path.GetFileName(folder) : null;

    /// <summary>NBD takes no port 0 it would report back: tries random ports of the dynamic range until one binds.</summary>
    private static async Task<int> StartNbdServerAsync(QmpClient qmp, string listenAddress, CancellationToken cancellationToken)
    {
        DriverException? last = null;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var port = RandomNumberGenerator.GetInt32(49152, 61000);
            try
            {
                await qmp.ExecuteAsync("nbd-server-start", cancellationToken, new JsonObject
                {
                    ["addr"] = new JsonObject
                    {
                        ["type"] = "inet",
                        ["data"] = new JsonObject { ["host"] = listenAddress, ["port"] = port.ToString(CultureInfo.InvariantCulture) },
                    },
                });
                return port;
            }
            catch (DriverException e)
            {
                last = e;
            }
        }

        throw new DriverException($"no port of {listenAddress} took the migration's disk export: {last?.Message}");
    }

    /// <summary>Removes a receiver's unix sockets (stale ones before it listens, spent ones once it is adopted).</summary>
    private static void DeleteIncomingSockets(VmFolder vm)
    {
        File.Delete(vm.IncomingMemorySocket);
        File.Delete(vm.IncomingDiskSocket);
    }

    private static void CheckSocketPath(string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxSocketPath)
        {
            throw new DriverException($"the receiver's socket {path} is longer than a unix socket's {MaxSocketPath} bytes: the host's data folder is too deep", terminal: true);
        }
    }
}
