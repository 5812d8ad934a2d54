using System.Globalization;
using System.Security.Cryptography;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;
using Xunit;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>
/// What every driver conformance suite shares: the host under test, names unique to one test, specs a real host
/// can satisfy, and the bookkeeping that removes everything a test made.
/// </summary>
/// <remarks>
/// <para>
/// A suite for real drivers subclasses a suite (e.g. <see cref="ComputeDriverConformance"/>) and overrides
/// <see cref="CreateHostAsync"/> (and <see cref="DisposeHostAsync"/> when the host needs tearing down). xunit makes a
/// new instance for each test, so each test gets its own <see cref="Prefix"/>, VNI and subnet. A subclass that needs
/// what not every machine has (root, QEMU, an opt-in) carries a <see cref="HostRequirementAttribute"/> such as
/// <see cref="RequiresEnvironmentAttribute"/>; its tests are then skipped, not failed, where that is missing.
/// </para>
/// <para>
/// Every object a test makes is named <c>vc-t</c> + six hex digits + a short suffix (at most 15 characters, so it fits
/// a Linux interface name) and is recorded before it is asked for; after the test, whatever was recorded is deleted
/// in reverse order (VMs before their disks and bridges, gateways before their segments), and the host's inventory
/// must then hold nothing named with the test's prefix. Images are the exception: the contract keeps them cached.
/// </para>
/// </remarks>
public abstract class DriverConformance : IAsyncLifetime
{
    /// <summary>VPN keys shared by the suite's tests (making them is not what is tested).</summary>
    private static readonly Lazy<VpnKeys.Keys> VpnKeyMaterial = new(() => VpnKeys.Create("vcm-conformance", DateTimeOffset.UtcNow));

    private readonly List<(string What, Func<CancellationToken, Task<DeleteOutcome>> Delete)> _made = [];
    private readonly List<string> _relays = [];
    private readonly CancellationTokenSource _timeout = new();
    private IHostDrivers? _host;

    protected DriverConformance()
    {
        Prefix = "vc-t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Vni = 0x100000 + RandomNumberGenerator.GetInt32(0xE00000);
        SubnetOctet = RandomNumberGenerator.GetInt32(1, 255);
    }

    /// <summary>The drivers of the host under test. Called once per test, before it.</summary>
    protected abstract Task<IHostDrivers> CreateHostAsync();

    /// <summary>Called once per test after its objects were deleted and the leak check ran (even if either failed).</summary>
    protected virtual Task DisposeHostAsync(IHostDrivers host) => Task.CompletedTask;

    /// <summary>How long one test may take before its operations are cancelled; its cleanup then gets as long again.</summary>
    protected virtual TimeSpan TestTimeout => TimeSpan.FromMinutes(5);

    /// <summary>An image the site's store holds and that is small enough for tests.</summary>
    protected virtual string ImageName => "micro";

    /// <summary>Underlay addresses used as VXLAN peers; nothing needs to answer at them (TEST-NET-1).</summary>
    protected virtual IReadOnlyList<string> PeerAddresses => ["192.0.2.10", "192.0.2.11", "192.0.2.12"];

    /// <summary>
    /// A VPN end's local and remote WAN addresses: the local one must be an address the host can bind (nothing needs
    /// to answer at the remote one).
    /// </summary>
    protected virtual IReadOnlyList<string> VpnAddresses => ["192.0.2.1", "192.0.2.2"];

    protected IHostDrivers Host => _host ?? throw new InvalidOperationException("the host is made in InitializeAsync");

    /// <summary>"vc-t" and six hex digits, unique to this test.</summary>
    protected string Prefix { get; }

    /// <summary>A VXLAN id unique enough to this test.</summary>
    protected int Vni { get; }

    /// <summary>The third octet of this test's subnet 10.99.N.0/24.</summary>
    protected int SubnetOctet { get; }

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>A name for this test: the prefix, a dash, the suffix.</summary>
    protected string Name(string suffix) => $"{Prefix}-{suffix}";

    protected string Address(int host) => string.Create(CultureInfo.InvariantCulture, $"10.99.{SubnetOctet}.{host}");

    protected string Mac(int index) => string.Create(CultureInfo.InvariantCulture, $"52:54:00:{Prefix[^6..^4]}:{Prefix[^4..^2]}:{index:x2}");

    // ---- specs a real host can satisfy ----

    /// <summary>Segment <paramref name="index"/> of this test: bridge PREFIX-br[N], VXLAN PREFIX-vx[N], VNI <see cref="Vni"/>+N.</summary>
    protected SegmentSpec Segment(int index = 0, IReadOnlyList<string>? peers = null)
    {
        var n = index == 0 ? "" : index.ToString(CultureInfo.InvariantCulture);
        return new SegmentSpec
        {
            Bridge = Name("br" + n),
            Vxlan = Name("vx" + n),
            Vni = Vni + index,
            Peers = peers ?? [PeerAddresses[0]],
        };
    }

    protected GatewayNode Node(int index, IReadOnlyList<string>? sshKeys = null) =>
        new($"n{index}", Mac(index), Address(10 + index), sshKeys ?? ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZjbXRlc3RrZXkxMjM0NTY3ODkwYWJjZGVmZ2hpams vcm-test"]);

    protected GatewaySpec Gateway(SegmentSpec segment, IReadOnlyList<GatewayNode>? nodes = null) => new()
    {
        Name = Name("gw"),
        Bridge = segment.Bridge,
        Subnet = string.Create(CultureInfo.InvariantCulture, $"10.99.{SubnetOctet}.0/24"),
        Address = Address(1),
        Domain = Prefix,
        Nodes = nodes ?? [Node(1)],
    };

    /// <summary>This test's VPN end on <paramref name="segment"/>: the server end, with keys of this test's own.</summary>
    protected VpnSpec Vpn(SegmentSpec segment, int? rateMbit = null) => new()
    {
        Name = Name("vpn"),
        Bridge = segment.Bridge,
        Server = true,
        Local = VpnAddresses[0],
        Remote = VpnAddresses[1],
        Port = 20000 + (Vni % 20000),
        RemotePort = 20000 + (Vni % 20000),
        CaCertificate = VpnKeyMaterial.Value.CaCertificate,
        Certificate = VpnKeyMaterial.Value.ServerCertificate,
        PrivateKey = VpnKeyMaterial.Value.ServerKey,
        TlsCryptKey = VpnKeyMaterial.Value.TlsCryptKey,
        RateMbit = rateMbit,
    };

    /// <summary>This test's migration relay end on <paramref name="segment"/> (the test's prefix is the migration's id).</summary>
    protected MigrationRelaySpec Relay(SegmentSpec segment, MigrationRelaySide side, IncomingVm? receiver = null) =>
        MigrationRelaySpec.For(Prefix, Name("n1"), segment.Bridge, side, receiver);

    /// <summary>A receiver on unix sockets as a compute driver answers one (nothing needs to listen there).</summary>
    protected IncomingVm UnixReceiver() =>
        new(Name("n1"), "receiver", $"unix:/run/{Prefix}/incoming-memory.sock", $"nbd+unix:///disk0?socket=/run/{Prefix}/incoming-disk.sock");

    protected VolumeSpec Volume(string suffix = "vol", long sizeMb = 64, IReadOnlyList<string>? initiators = null) =>
        new(Name(suffix), sizeMb, initiators ?? [Initiator("n1")]);

    protected string Initiator(string node) => $"iqn.2026-11.io.vcm.test:{Prefix}-{node}";

    protected DiskSpec Disk(string node = "n1", string? image = null) => new(Name(node + ".qcow2"), image ?? ImageName, 64);

    protected VmSpec Vm(string node, string disk, string bridge) => new()
    {
        Name = Name(node),
        Cpus = 1,
        MemoryMb = 128,
        Disk = disk,
        Mac = Mac(1),
        Bridge = bridge,
        Hostname = node,
    };

    // ---- ensures that record what they make, so that the cleanup removes it ----

    protected Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec)
    {
        Made($"segment {spec.Bridge}", ct => Host.Network.DeleteSegmentAsync(spec.Bridge, ct));
        return Host.Network.EnsureSegmentAsync(spec, Ct);
    }

    protected Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec)
    {
        Made($"gateway {spec.Name}", ct => Host.Network.DeleteGatewayAsync(spec.Name, ct));
        return Host.Network.EnsureGatewayAsync(spec, Ct);
    }

    protected Task<EnsureOutcome> EnsureVpnAsync(VpnSpec spec)
    {
        Made($"VPN end {spec.Name}", ct => Host.Network.DeleteVpnAsync(spec.Name, ct));
        return Host.Network.EnsureVpnAsync(spec, Ct);
    }

    /// <summary>Relay ends are named after the migration, not the prefix: they are recorded by name for the leak check.</summary>
    protected Task<Ensured<IncomingVm>> EnsureMigrationRelayAsync(MigrationRelaySpec spec)
    {
        if (!_relays.Contains(spec.Name))
        {
            _relays.Add(spec.Name);
        }

        Made($"migration relay end {spec.Name}", ct => Host.Network.DeleteMigrationRelayAsync(spec.Name, ct));
        return Host.Network.EnsureMigrationRelayAsync(spec, Ct);
    }

    protected Task<Ensured<VolumeStatus>> EnsureVolumeAsync(VolumeSpec spec)
    {
        Made($"volume {spec.Name}", ct => Host.Storage.DeleteVolumeAsync(spec.Name, ct));
        return Host.Storage.EnsureVolumeAsync(spec, Ct);
    }

    /// <summary>Images are not recorded: the contract keeps them cached and offers no delete.</summary>
    protected Task<EnsureOutcome> EnsureImageAsync(string image) => Host.Images.EnsureImageAsync(image, Ct);

    protected Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec)
    {
        Made($"disk {spec.Name}", ct => Host.Images.DeleteDiskAsync(spec.Name, ct));
        return Host.Images.EnsureDiskAsync(spec, Ct);
    }

    protected Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec)
    {
        Made($"vm {spec.Name}", ct => Host.Compute.DeleteVmAsync(spec.Name, ct));
        return Host.Compute.EnsureVmAsync(spec, Ct);
    }

    /// <summary>Makes what a VM of this test needs (a segment, the image, a disk) and answers the VM's spec.</summary>
    protected async Task<VmSpec> PrepareVmAsync(string node = "n1")
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        await EnsureImageAsync(ImageName);
        var disk = Disk(node);
        await EnsureDiskAsync(disk);
        return Vm(node, disk.Name, segment.Bridge);
    }

    /// <summary>Every name with this test's prefix that the host's inventory holds.</summary>
    protected async Task<IReadOnlyList<string>> LeftoversAsync(CancellationToken cancellationToken)
    {
        var vms = await Host.Compute.ListVmsAsync(cancellationToken);
        var network = await Host.Network.ListAsync(cancellationToken);
        var volumes = await Host.Storage.ListVolumesAsync(cancellationToken);
        var images = await Host.Images.ListAsync(cancellationToken);
        return vms.Select(v => "vm " + v.Name)
            .Concat(network.Segments.Select(s => "segment " + s))
            .Concat(network.Gateways.Select(g => "gateway " + g))
            .Concat(network.Vpns.Select(v => "VPN " + v))
            .Concat(volumes.Select(v => "volume " + v.Name))
            .Concat(images.Images.Select(i => "image " + i))
            .Concat(images.Disks.Select(d => "disk " + d))
            .Where(n => n[(n.IndexOf(' ', StringComparison.Ordinal) + 1)..].StartsWith(Prefix, StringComparison.Ordinal))
            .Concat(network.Relays.Where(_relays.Contains).Select(r => "migration relay end " + r))
            .ToList();
    }

    public async Task InitializeAsync()
    {
        _timeout.CancelAfter(TestTimeout);
        _host = await CreateHostAsync();
    }

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        try
        {
            if (_host is not null)
            {
                // A test that timed out still gets a full timeout for its cleanup.
                using var cleanup = new CancellationTokenSource(TestTimeout);
                for (var i = _made.Count - 1; i >= 0; i--)
                {
                    var (what, delete) = _made[i];
                    if (await TryDeleteAsync(delete, cleanup.Token) is { } error)
                    {
                        problems.Add($"cleanup could not delete {what}: {error}");
                    }
                }

                var leftovers = await LeftoversAsync(cleanup.Token);
                problems.AddRange(leftovers.Select(l => $"left behind after cleanup: {l}"));
            }
        }
        finally
        {
            try
            {
                if (_host is not null)
                {
                    await DisposeHostAsync(_host);
                }
            }
            finally
            {
                _timeout.Dispose();
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private void Made(string what, Func<CancellationToken, Task<DeleteOutcome>> delete)
    {
        if (!_made.Exists(m => m.What == what))
        {
            _made.Add((what, delete));
        }
    }

    private static async Task<string?> TryDeleteAsync(Func<CancellationToken, Task<DeleteOutcome>> delete, CancellationToken cancellationToken)
    {
        string? error = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await delete(cancellationToken);
                return null;
            }
            catch (DriverException e) when (!e.Terminal)
            {
                error = e.Message;
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        }

        return error;
    }
}
