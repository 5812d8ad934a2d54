using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Xunit;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IComputeDriver"/>, for any implementation. The VMs' segments, images and disks are
/// made through the same host's network and image drivers.
/// </summary>
public abstract class ComputeDriverConformance : DriverConformance
{
    /// <summary>
    /// Makes the named running VM stop as if its process died outside the driver (the sim: SimHost.KillVm; QEMU: kill
    /// the VM's process). Returns once the driver would list it as stopped.
    /// </summary>
    protected abstract Task StopVmOutsideDriverAsync(IHostDrivers host, string name);

    [ConformanceFact]
    public void Capabilities_AreReported() => Assert.NotNull(Host.Compute.Capabilities);

    [ConformanceFact]
    public async Task EnsureVm_New_IsCreatedRunningAndListed()
    {
        var spec = await PrepareVmAsync();

        var ensured = await EnsureVmAsync(spec);

        Assert.Equal(EnsureOutcome.Created, ensured.Outcome);
        Assert.Equal(spec.Name, ensured.Status.Name);
        Assert.Equal(VmState.Running, ensured.Status.State);
        var listed = Assert.Single(await ListAsync(), v => v.Name == spec.Name);
        Assert.Equal(VmState.Running, listed.State);
    }

    [ConformanceFact]
    public async Task EnsureVm_Twice_SecondIsUnchanged()
    {
        var spec = await PrepareVmAsync();

        var first = await EnsureVmAsync(spec);
        var second = await EnsureVmAsync(spec);

        Assert.Equal(EnsureOutcome.Created, first.Outcome);
        Assert.Equal(EnsureOutcome.Unchanged, second.Outcome);
        Assert.Equal(VmState.Running, second.Status.State);
        Assert.Single(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task EnsureVm_RunningWithChangedSpec_IsLeftAlone()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);

        var again = await EnsureVmAsync(spec with { Cpus = 2, MemoryMb = 256 });

        Assert.Equal(EnsureOutcome.Unchanged, again.Outcome);
        Assert.Equal(VmState.Running, again.Status.State);
    }

    [ConformanceFact]
    public async Task DeleteVm_Existing_IsDeletedAndNoLongerListed()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);

        var deleted = await Host.Compute.DeleteVmAsync(spec.Name, Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted);
        Assert.DoesNotContain(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task DeleteVm_Twice_SecondIsAbsent()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);
        await Host.Compute.DeleteVmAsync(spec.Name, Ct);

        Assert.Equal(DeleteOutcome.Absent, await Host.Compute.DeleteVmAsync(spec.Name, Ct));
    }

    [ConformanceFact]
    public async Task DeleteVm_NeverMade_IsAbsent() =>
        Assert.Equal(DeleteOutcome.Absent, await Host.Compute.DeleteVmAsync(Name("nothere"), Ct));

    [ConformanceFact]
    public async Task EnsureVm_AfterDelete_IsCreated()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);
        await Host.Compute.DeleteVmAsync(spec.Name, Ct);

        var again = await EnsureVmAsync(spec);

        Assert.Equal(EnsureOutcome.Created, again.Outcome);
        Assert.Equal(VmState.Running, again.Status.State);
        Assert.Single(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task EnsureVm_MissingBridge_FailsAndLeavesNoVm()
    {
        await EnsureImageAsync(ImageName);
        var disk = Disk();
        await EnsureDiskAsync(disk);
        var spec = Vm("n1", disk.Name, Name("nobr"));

        await Assert.ThrowsAsync<DriverException>(() => EnsureVmAsync(spec));

        Assert.DoesNotContain(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task EnsureVm_MissingDisk_FailsAndLeavesNoVm()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var spec = Vm("n1", Name("nodisk.qcow2"), segment.Bridge);

        await Assert.ThrowsAsync<DriverException>(() => EnsureVmAsync(spec));

        Assert.DoesNotContain(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task EnsureVm_Failed_LaterDeleteLeavesNothing()
    {
        var segment = Segment();
        await EnsureSegmentAsync(segment);
        var spec = Vm("n1", Name("nodisk.qcow2"), segment.Bridge);
        await Assert.ThrowsAsync<DriverException>(() => EnsureVmAsync(spec));

        // Whatever the failed ensure made (if anything), a delete removes it without complaint.
        await Host.Compute.DeleteVmAsync(spec.Name, Ct);

        Assert.DoesNotContain(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task StoppedVm_IsListedAsStopped()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);

        await StopVmOutsideDriverAsync(Host, spec.Name);

        var listed = Assert.Single(await ListAsync(), v => v.Name == spec.Name);
        Assert.Equal(VmState.Stopped, listed.State);
    }

    [ConformanceFact]
    public async Task EnsureVm_Stopped_IsRestartedAsUpdated()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);
        await StopVmOutsideDriverAsync(Host, spec.Name);

        var restarted = await EnsureVmAsync(spec);

        Assert.Equal(EnsureOutcome.Updated, restarted.Outcome);
        Assert.Equal(VmState.Running, restarted.Status.State);
        var listed = Assert.Single(await ListAsync(), v => v.Name == spec.Name);
        Assert.Equal(VmState.Running, listed.State);
    }

    [ConformanceFact]
    public async Task DeleteVm_Stopped_IsDeleted()
    {
        var spec = await PrepareVmAsync();
        await EnsureVmAsync(spec);
        await StopVmOutsideDriverAsync(Host, spec.Name);

        Assert.Equal(DeleteOutcome.Deleted, await Host.Compute.DeleteVmAsync(spec.Name, Ct));
        Assert.DoesNotContain(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task ListVms_TwoVms_ListsBothUntilDeleted()
    {
        var first = await PrepareVmAsync("n1");
        var disk = Disk("n2");
        await EnsureDiskAsync(disk);
        var second = Vm("n2", disk.Name, first.Bridge) with { Mac = Mac(2) };
        await EnsureVmAsync(first);
        await EnsureVmAsync(second);

        Assert.Equal([first.Name, second.Name], Mine(await ListAsync()));
        await Host.Compute.DeleteVmAsync(first.Name, Ct);
        Assert.Equal([second.Name], Mine(await ListAsync()));
    }

    private Task<IReadOnlyList<VmStatus>> ListAsync() => Host.Compute.ListVmsAsync(Ct);

    private List<string> Mine(IReadOnlyList<VmStatus> vms) =>
        vms.Select(v => v.Name).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
