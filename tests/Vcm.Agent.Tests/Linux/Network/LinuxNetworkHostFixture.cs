using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Network;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// One throwaway "host" for a test class: namespace vct-TAG-host, a data folder, the metadata stub. On dispose, any
/// VPN end and gateway the driver still lists is deleted through it, then the namespace and the folder go.
/// </summary>
public sealed class LinuxNetworkHostFixture : IAsyncLifetime
{
    private NetnsLab? _lab;

    public NetnsLab Lab => _lab ?? throw new InvalidOperationException("not initialised");

    public string HostNs { get; private set; } = "";

    public LinuxHostContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (RequiresNetworkAdminAttribute.Reason() is not null)
        {
            return;
        }

        _lab = new NetnsLab();
        HostNs = await _lab.AddNamespaceAsync("host");
        var data = Path.Combine(_lab.Folder, "data");
        Directory.CreateDirectory(data);
        Context = new LinuxHostContext
        {
            HostName = HostNs,
            DataDirectory = data,
            Netns = HostNs,
            UnderlayAddress = "192.0.2.1",
            VcmExecutable = MetadataStub.Write(_lab.Folder),
            ImageStore = _lab.Folder,
        };
        _lab.OnDispose(async () =>
        {
            using var driver = new LinuxNetworkDriver(Context);
            var inventory = await driver.ListAsync(CancellationToken.None);
            foreach (var vpn in inventory.Vpns)
            {
                await driver.DeleteVpnAsync(vpn, CancellationToken.None);
            }

            foreach (var gateway in inventory.Gateways)
            {
                await driver.DeleteGatewayAsync(gateway, CancellationToken.None);
            }
        });
    }

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}
