using Vcm.Drivers.Compute;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;

namespace Vcm.Drivers.Hosts;

/// <summary>The drivers serving one host.</summary>
public interface IHostDrivers
{
    HostFacts Facts { get; }

    IComputeDriver Compute { get; }

    INetworkDriver Network { get; }

    IStorageDriver Storage { get; }

    IImageDriver Images { get; }
}
