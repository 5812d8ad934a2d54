using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vcm.Agent.Linux.Images;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Linux.Compute;

public sealed partial class QemuComputeDriver
{
    /// <summary>A unix socket's path holds at most 107 bytes (sun_path).</summary>
    private const int MaxSocketPath = 107;

    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Starts the VM's QEMU and returns once its monitor says the VM runs (<paramref name="incoming"/>: waits for a
    /// migration, then <paramref name="ready"/> sets the receiver up, and no spec.json is written). On any failure the
    /// process and the tap are gone before the error is thrown; the folder stays for qemu.log (without spec.json, a
    /// first start's folder is not listed as a VM).
    /// </summary>
    private async Task StartAsync(VmSpec spec, VmFolder vm, CancellationToken cancellationToken, bool incoming = false, Func<Task>? ready = null)
    {
        var disk = Paths.Disk(spec.Disk);
        if (!File.Exists(disk))
        {
            throw new DriverException($"disk {spec.Disk} of VM {spec.Name} does not exist on {_context.HostName}");
        }

        // the kernel of the image version the disk was made from (a newer version of the image may be current by now)
        var image = ImageCache.BootFolder(disk) ?? new ImageCache(Paths.Images).Current(spec.Image)
            ?? throw new DriverException($"image {spec.Image} of VM {spec.Name} is not present on {_context.HostName}");

        if (System.Text.Encoding.UTF8.GetByteCount(vm.ConsoleSocket) > MaxSocketPath)
        {
            throw new DriverException($"the host folder {_context.DataDirectory} is too long for VM {spec.Name}'s sockets ({vm.ConsoleSocket} is over {MaxSocketPath} bytes)", terminal: true);
        }

        Directory.CreateDirectory(vm.Directory, PrivateFolder);
        File.Delete(vm.QmpSocket);
        File.Delete(vm.ConsoleSocket);
        WriteToken(spec, vm);
        var kvm = await UseKvmAsync(image, cancellationToken);
        var arguments = QemuCommandLine.Build(spec, Paths, vm, kvm, image, incoming);
        var logStart = File.Exists(vm.QemuLog) ? new FileInfo(vm.QemuLog).Length : 0;
        var started = _context.Clock.GetUtcNow();
        try
        {
            await EnsureTapAsync(vm.Tap, spec.Bridge, cancellationToken);
            var daemon = new DaemonSpec(_options.QemuBinary, arguments, vm.PidFile, vm.QemuLog, vm.Marker) { Netns = _context.Netns };
            int pid;
            try
            {
                pid = await _context.Daemons.StartAsync(daemon, cancellationToken);
            }
            catch (DriverException)
            {
                throw new DriverException($"QEMU of VM {spec.Name} did not start: {LogSince(vm, logStart)}");
            }

            await WaitRunningAsync(vm, pid, logStart, incoming ? "inmigrate" : "running", cancellationToken);
            if (ready is not null)
            {
                await ready();
            }

            if (!incoming)
            {
                await WriteSpecAsync(spec, vm);
            }

            LogStarted(_logger, spec.Name, pid, kvm ? "kvm" : "tcg", (_context.Clock.GetUtcNow() - started).TotalSeconds);
        }
        catch (Exception e)
        {
            LogStartFailed(_logger, spec.Name, e.Message);
            await CleanUpFailedStartAsync(vm);
            if (e is DriverException or OperationCanceledException)
            {
                throw;
            }

            throw new DriverException($"starting VM {spec.Name} failed: {e.Message}", e);
        }
    }

    /// <summary>The token file QEMU's fw_cfg item reads (readable by the agent's user only); none without a token.</summary>
    private static void WriteToken(VmSpec spec, VmFolder vm)
    {
        File.Delete(vm.TokenFile);
        if (QemuCommandLine.Token(spec) is { } token)
        {
            using var stream = new FileStream(vm.TokenFile, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly,
            });
            stream.Write(System.Text.Encoding.UTF8.GetBytes(token));
        }
    }

    /// <summary>Records the spec the VM runs with (it holds the token: readable by the agent's user only); from then on the folder is a VM that the driver lists.</summary>
    private static async Task WriteSpecAsync(VmSpec spec, VmFolder vm)
    {
        var temp = vm.SpecFile + ".tmp";
        File.Delete(temp);
        await using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        {
            await JsonSerializer.SerializeAsync(stream, spec, AgentJson.Options, CancellationToken.None);
        }

        File.Move(temp, vm.SpecFile, overwrite: true);
    }

    private async Task CleanUpFailedStartAsync(VmFolder vm)
    {
        if (Daemons.RunningPid(vm.PidFile, vm.Marker) is not null)
        {
            await _context.Daemons.StopAsync(vm.PidFile, vm.Marker, TimeSpan.Zero, CancellationToken.None);
        }

        File.Delete(vm.PidFile);
        try
        {
            await DeleteTapAsync(vm.Tap, CancellationToken.None);
        }
        catch (DriverException e)
        {
            LogStartFailed(_logger, vm.Name, "and its tap could not be deleted: " + e.Message);
        }
    }

    /// <summary>Waits until QMP answers that the VM is in <paramref name="state"/>; QEMU answers only once its devices are made.</summary>
    private async Task WaitRunningAsync(VmFolder vm, int pid, long logStart, string state, CancellationToken cancellationToken)
    {
        var deadline = _context.Clock.GetUtcNow() + _options.StartTimeout;
        while (true)
        {
            if (!Daemons.IsProcess(pid, vm.Marker))
            {
                throw new DriverException($"QEMU of VM {vm.Name} exited at start: {LogSince(vm, logStart)}");
            }

            if (File.Exists(vm.QmpSocket) && await QueryStatusAsync(vm, cancellationToken) == state)
            {
                return;
            }

            if (_context.Clock.GetUtcNow() > deadline)
            {
                throw new DriverException($"QEMU of VM {vm.Name} did not report it {state} within {_options.StartTimeout.TotalSeconds:0.#} s: {LogSince(vm, logStart)}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The VM's run state from QMP (running, paused, inmigrate …), or null when the monitor does not answer.</summary>
    private static async Task<string?> QueryStatusAsync(VmFolder vm, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var qmp = await QmpClient.ConnectAsync(vm.QmpSocket, timeout.Token);
            var status = await qmp.ExecuteAsync("query-status", timeout.Token);
            return status?["status"]?.GetValue<string>();
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or DriverException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Asks the guest to power off, then QEMU to quit, then signals QEMU by PID: SIGTERM, SIGKILL.</summary>
    private async Task StopProcessAsync(VmFolder vm, int pid, CancellationToken cancellationToken)
    {
        if (_options.PowerdownGrace > TimeSpan.Zero && await TryQmpAsync(vm, "system_powerdown", cancellationToken))
        {
            await WaitExitAsync(vm, pid, _options.PowerdownGrace, cancellationToken);
        }

        if (Daemons.IsProcess(pid, vm.Marker) && await TryQmpAsync(vm, "quit", cancellationToken))
        {
            await WaitExitAsync(vm, pid, _options.StopGrace, cancellationToken);
        }

        await _context.Daemons.StopAsync(vm.PidFile, vm.Marker, _options.StopGrace, cancellationToken);
        LogStopped(_logger, vm.Name, pid);
    }

    private static async Task<bool> TryQmpAsync(VmFolder vm, string command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var qmp = await QmpClient.ConnectAsync(vm.QmpSocket, timeout.Token);
            await qmp.ExecuteAsync(command, timeout.Token, new JsonObject());
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or JsonException or DriverException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task WaitExitAsync(VmFolder vm, int pid, TimeSpan grace, CancellationToken cancellationToken)
    {
        var deadline = _context.Clock.GetUtcNow() + grace;
        while (Daemons.IsProcess(pid, vm.Marker) && _context.Clock.GetUtcNow() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Makes the VM's tap (unless it is there from an earlier start) and puts it on the bridge at the bridge's MTU.</summary>
    private async Task EnsureTapAsync(string tap, string bridge, CancellationToken cancellationToken)
    {
        var shown = await _host.IpAsync(["-j", "link", "show", "dev", bridge], cancellationToken);
        if (!shown.Succeeded)
        {
            throw new DriverException($"bridge {bridge} does not exist on {_context.HostName}");
        }

        var mtu = JsonNode.Parse(shown.StandardOutput)?[0]?["mtu"]?.GetValue<int>() ?? 1500;
        if (!await _host.LinkExistsAsync(tap, cancellationToken))
        {
            HostCommands.Check(await _host.IpAsync(["tuntap", "add", "dev", tap, "mode", "tap"], cancellationToken), $"making tap {tap}");
        }

        HostCommands.Check(
            await _host.IpAsync(["link", "set", "dev", tap, "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "master", bridge, "up"], cancellationToken),
            $"putting tap {tap} on bridge {bridge}");
    }

    /// <summary>Deletes the tap if it exists; answers whether it did.</summary>
    private async Task<bool> DeleteTapAsync(string tap, CancellationToken cancellationToken)
    {
        if (!await _host.LinkExistsAsync(tap, cancellationToken))
        {
            return false;
        }

        HostCommands.Check(await _host.IpAsync(["link", "del", "dev", tap], cancellationToken), $"deleting tap {tap}");
        return true;
    }

    /// <summary>
    /// Whether to run the VM under KVM: the probe's answer, probing with this image's kernel (or any present image's)
    /// when the host has not been probed since it booted; TCG when there is no kernel to probe with.
    /// </summary>
    private async Task<bool> UseKvmAsync(string imageFolder, CancellationToken cancellationToken)
    {
        var candidates = new[] { imageFolder }
            .Concat(Directory.Exists(Paths.Images) ? Directory.EnumerateDirectories(Paths.Images).Order(StringComparer.Ordinal) : []);
        foreach (var dir in candidates)
        {
            var kernel = Path.Combine(dir, "vmlinuz");
            var initrd = Path.Combine(dir, "initrd.gz");
            if (File.Exists(kernel) && File.Exists(initrd))
            {
                return await _probe.IsUsableAsync(kernel, initrd, cancellationToken);
            }
        }

        return _probe.Cached?.Kvm ?? false;
    }

    /// <summary>What QEMU wrote to its log since <paramref name="start"/> (its error, when a start failed).</summary>
    private static string LogSince(VmFolder vm, long start)
    {
        try
        {
            using var stream = new FileStream(vm.QemuLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(start, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd().Trim();
            if (text.Length == 0)
            {
                return "(QEMU wrote nothing)";
            }

            return text.Length <= 1000 ? text : "…" + text[^1000..];
        }
        catch (IOException)
        {
            return "(no qemu.log)";
        }
    }
}
