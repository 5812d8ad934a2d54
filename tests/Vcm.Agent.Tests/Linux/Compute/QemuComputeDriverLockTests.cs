using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Compute;
using Vcm.Agent.Tests.Linux.Network;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>The QEMU driver's per-VM locks live only while a VM is being ensured or deleted (no host needed: nothing runs).</summary>
public sealed class QemuComputeDriverLockTests : IDisposable
{
    private readonly TempDirectory _data = new("vcm-qemu-locks");

    [Fact]
    public async Task EnsureAndDelete_ManyNames_LeaveNoLockBehind()
    {
        var driver = new QemuComputeDriver(new LinuxHostContext
        {
            HostName = "h1",
            DataDirectory = _data.Path,
            UnderlayAddress = "127.0.0.1",
            VcmExecutable = "/bin/false",
            ImageStore = _data.Path,
            Runner = new RefusingRunner(),
        });

        foreach (var i in Enumerable.Range(0, 50))
        {
            var name = $"vm-{i}";
            // no disk on this host: the ensure fails before it starts anything; the delete finds nothing
            await Assert.ThrowsAsync<DriverException>(() => driver.EnsureVmAsync(Spec(name), CancellationToken.None));
            Assert.Equal(DeleteOutcome.Absent, await driver.DeleteVmAsync(name, CancellationToken.None));
        }

        Assert.Equal(0, driver.LockedNames);
    }

    public void Dispose() => _data.Dispose();

    private static VmSpec Spec(string name) => new()
    {
        Name = name,
        Cpus = 1,
        MemoryMb = 64,
        Disk = name + "-disk",
        Image = "micro",
        Bridge = "vcb-none",
        Mac = "52:54:00:00:00:01",
    };
}
