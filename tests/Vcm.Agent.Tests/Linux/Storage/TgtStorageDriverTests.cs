using Vcm.Agent.Linux.Storage;
using Vcm.Drivers;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Storage;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Storage;

/// <summary>What the tgt driver does beyond the conformance suite: the ACL at login, restarts of the agent and of tgtd, teardown.</summary>
[Collection(LinuxHostCollection.Name)]
[RequiresLinuxHost]
public sealed class TgtStorageDriverTests(TestGuest guest) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly LinuxTestNames _names = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(3));

    private CancellationToken Ct => _timeout.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _timeout.Dispose();
    }

    [HostFact]
    public async Task Login_FromAnotherNamespace_OnlyInitiatorsInTheAclGetIn()
    {
        var (storage, client) = await LinkedHostsAsync();
        var (good, other) = (_names.Initiator("n1"), _names.Initiator("n2"));
        var volume = (await storage.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol"), 64, [good]), Ct)).Status;

        Assert.Contains("virtual size: 64 MiB", await LoginAsync(client, volume, good), StringComparison.Ordinal);
        Assert.Contains("Failed to log in", await LoginAsync(client, volume, other), StringComparison.Ordinal);

        var changed = await storage.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol"), 64, [other]), Ct);

        Assert.Equal(EnsureOutcome.Updated, changed.Outcome);
        Assert.Contains("virtual size: 64 MiB", await LoginAsync(client, volume, other), StringComparison.Ordinal);
        Assert.Contains("Failed to log in", await LoginAsync(client, volume, good), StringComparison.Ordinal);
    }

    [HostFact]
    public async Task RestartedAgent_FindsTheTargetsInTgtd()
    {
        var host = await HostAsync();
        var first = await host.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol1"), 32, [_names.Initiator("n1")]), Ct);
        await host.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol2"), 48, [_names.Initiator("n2")]), Ct);
        var before = await host.Storage.ListVolumesAsync(Ct);

        var restarted = new TgtStorageDriver(host.Context);

        Assert.Equal(before, await restarted.ListVolumesAsync(Ct));
        var again = await restarted.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol1"), 32, [_names.Initiator("n1")]), Ct);
        Assert.Equal(first, again with { Outcome = EnsureOutcome.Created });
        Assert.Equal(EnsureOutcome.Unchanged, again.Outcome);
    }

    [HostFact]
    public async Task TgtdDied_NextEnsureStartsItAndExportsEveryVolumeAgainWithItsAcl()
    {
        var host = await HostAsync();
        var vol1 = new VolumeSpec(_names.Name("vol1"), 32, [_names.Initiator("n1")]);
        var vol2 = new VolumeSpec(_names.Name("vol2"), 48, [_names.Initiator("n2")]);
        await host.Storage.EnsureVolumeAsync(vol1, Ct);
        var second = (await host.Storage.EnsureVolumeAsync(vol2, Ct)).Status;
        var before = await host.Storage.ListVolumesAsync(Ct);
        var pidFile = Path.Combine(host.Context.Paths.Tgt, "tgtd.pid");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Signals.ForceKill(pid));
        for (var i = 0; i < 500 && Signals.IsAlive(pid) && Daemons.IsProcess(pid, "tgtd"); i++)
        {
            await Task.Delay(10);
        }

        Assert.Empty(await host.Storage.ListVolumesAsync(Ct));

        var again = await host.Storage.EnsureVolumeAsync(vol1, Ct);

        Assert.NotEqual(EnsureOutcome.Created, again.Outcome);
        Assert.Equal(before, await host.Storage.ListVolumesAsync(Ct));
        Assert.Contains("virtual size: 48 MiB", await LoginAsync(host.Namespace, second, _names.Initiator("n2")), StringComparison.Ordinal);
        Assert.Contains("Failed to log in", await LoginAsync(host.Namespace, second, _names.Initiator("n1")), StringComparison.Ordinal);
    }

    [HostFact]
    public async Task Stop_StopsTgtdAndRemovesItsSocket_KeepsTheVolumeFiles()
    {
        var host = await HostAsync();
        await host.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol"), 32, [_names.Initiator("n1")]), Ct);
        var pid = int.Parse(File.ReadAllText(Path.Combine(host.Context.Paths.Tgt, "tgtd.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var socket = $"/var/run/tgtd/socket.{host.Tgt.ControlPort}";
        Assert.True(File.Exists(socket));

        await host.Tgt.StopAsync(Ct);

        Assert.False(Daemons.IsProcess(pid, "tgtd"), $"tgtd {pid} still runs");
        Assert.False(File.Exists(socket));
        Assert.False(File.Exists(socket + ".lock"));
        Assert.Empty(await host.Storage.ListVolumesAsync(Ct));
        Assert.True(File.Exists(Path.Combine(host.Context.Paths.Volumes, _names.Name("vol") + ".img")));
    }

    [HostFact]
    public void ControlPort_IsStablePerHostAndWithinTgtdsRange()
    {
        var ports = Enumerable.Range(0, 200).Select(i => TgtStorageDriver.ControlPortFor($"host-{i}")).ToList();

        Assert.All(ports, p => Assert.InRange(p, 1000, 32767));
        Assert.Equal(ports, Enumerable.Range(0, 200).Select(i => TgtStorageDriver.ControlPortFor($"host-{i}")));
        Assert.True(ports.Distinct().Count() > 190, "ports should rarely collide");
    }

    private async Task<LinuxTestHost> HostAsync(TestNamespace? ns = null, string? address = null)
    {
        var host = await LinuxTestHost.CreateAsync(guest.Store, guest.Probe, ns, address);
        _owned.Add(host);
        return host;
    }

    /// <summary>A storage host and a client namespace joined by a veth underlay.</summary>
    private async Task<(LinuxTestHost Storage, TestNamespace Client)> LinkedHostsAsync()
    {
        var storageNs = await TestNamespace.CreateAsync();
        _owned.Add(storageNs);
        var client = await TestNamespace.CreateAsync();
        _owned.Add(client);
        var (storageAddress, _) = await TestNamespace.LinkAsync(storageNs, client);
        return (await HostAsync(storageNs, storageAddress), client);
    }

    /// <summary>Logs in to the volume from <paramref name="ns"/> as <paramref name="initiator"/> (qemu-img's iSCSI client); answers what it said.</summary>
    private static async Task<string> LoginAsync(TestNamespace ns, VolumeStatus volume, string initiator)
    {
        var result = await ns.ExecAsync("qemu-img", "info", "--image-opts",
            $"driver=iscsi,transport=tcp,portal={volume.Portal},target={volume.Target},lun={volume.Lun},initiator-name={initiator}");
        return result.StandardOutput + result.StandardError;
    }
}
