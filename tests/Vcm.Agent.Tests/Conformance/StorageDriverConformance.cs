using Vcm.Drivers;
using Vcm.Drivers.Storage;
using Xunit;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>The contract of <see cref="IStorageDriver"/> (volumes exported over iSCSI), for any implementation.</summary>
public abstract class StorageDriverConformance : DriverConformance
{
    [ConformanceFact]
    public async Task EnsureVolume_New_IsCreatedWithAnAddressAndListed()
    {
        var spec = Volume();

        var ensured = await EnsureVolumeAsync(spec);

        Assert.Equal(EnsureOutcome.Created, ensured.Outcome);
        Assert.Equal(spec.Name, ensured.Status.Name);
        Assert.Equal(spec.SizeMb, ensured.Status.SizeMb);
        Assert.Contains(":", ensured.Status.Portal, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ensured.Status.Target));
        Assert.True(ensured.Status.Lun >= 0, $"LUN {ensured.Status.Lun}");
        var listed = Assert.Single(await ListAsync(), v => v.Name == spec.Name);
        Assert.Equal(ensured.Status, listed);
    }

    [ConformanceFact]
    public async Task EnsureVolume_Twice_SecondIsUnchangedWithSameAddress()
    {
        var spec = Volume();

        var first = await EnsureVolumeAsync(spec);
        var second = await EnsureVolumeAsync(spec);

        Assert.Equal(EnsureOutcome.Created, first.Outcome);
        Assert.Equal(EnsureOutcome.Unchanged, second.Outcome);
        Assert.Equal(first.Status.Portal, second.Status.Portal);
        Assert.Equal(first.Status.Target, second.Status.Target);
        Assert.Equal(first.Status.Lun, second.Status.Lun);
        Assert.Single(await ListAsync(), v => v.Name == spec.Name);
    }

    /// <summary>The ACL becomes exactly the new initiators: a change, reported as such, at the same address.</summary>
    [ConformanceFact]
    public async Task EnsureVolume_ChangedInitiators_IsUpdatedWithSameAddress()
    {
        var spec = Volume();
        var first = await EnsureVolumeAsync(spec);
        var changed = spec with { Initiators = [Initiator("n1"), Initiator("n2")] };

        var updated = await EnsureVolumeAsync(changed);
        var again = await EnsureVolumeAsync(changed);

        Assert.Equal(first.Status.Portal, updated.Status.Portal);
        Assert.Equal(first.Status.Target, updated.Status.Target);
        Assert.Equal(first.Status.Lun, updated.Status.Lun);
        Assert.Equal(EnsureOutcome.Updated, updated.Outcome);
        Assert.Equal(EnsureOutcome.Unchanged, again.Outcome);
    }

    [ConformanceFact]
    public async Task EnsureVolume_SmallerSize_DoesNotShrink()
    {
        var spec = Volume(sizeMb: 64);
        await EnsureVolumeAsync(spec);

        var again = await EnsureVolumeAsync(spec with { SizeMb = 32 });

        Assert.NotEqual(EnsureOutcome.Created, again.Outcome);
        Assert.Equal(64, again.Status.SizeMb);
        Assert.Equal(64, Assert.Single(await ListAsync(), v => v.Name == spec.Name).SizeMb);
    }

    [ConformanceFact]
    public async Task DeleteVolume_Existing_IsDeletedAndNoLongerListed()
    {
        var spec = Volume();
        await EnsureVolumeAsync(spec);

        var deleted = await Host.Storage.DeleteVolumeAsync(spec.Name, Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted);
        Assert.DoesNotContain(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task DeleteVolume_Twice_SecondIsAbsent()
    {
        var spec = Volume();
        await EnsureVolumeAsync(spec);
        await Host.Storage.DeleteVolumeAsync(spec.Name, Ct);

        Assert.Equal(DeleteOutcome.Absent, await Host.Storage.DeleteVolumeAsync(spec.Name, Ct));
    }

    [ConformanceFact]
    public async Task DeleteVolume_NeverMade_IsAbsent() =>
        Assert.Equal(DeleteOutcome.Absent, await Host.Storage.DeleteVolumeAsync(Name("vol"), Ct));

    [ConformanceFact]
    public async Task EnsureVolume_AfterDelete_IsCreated()
    {
        var spec = Volume();
        await EnsureVolumeAsync(spec);
        await Host.Storage.DeleteVolumeAsync(spec.Name, Ct);

        var again = await EnsureVolumeAsync(spec);

        Assert.Equal(EnsureOutcome.Created, again.Outcome);
        Assert.Single(await ListAsync(), v => v.Name == spec.Name);
    }

    [ConformanceFact]
    public async Task EnsureVolume_Two_HaveDistinctAddresses()
    {
        var first = await EnsureVolumeAsync(Volume("vol1"));
        var second = await EnsureVolumeAsync(Volume("vol2", initiators: [Initiator("n2")]));

        Assert.NotEqual((first.Status.Portal, first.Status.Target, first.Status.Lun), (second.Status.Portal, second.Status.Target, second.Status.Lun));
        Assert.Equal([first.Status.Name, second.Status.Name], Mine(await ListAsync()));
    }

    private Task<IReadOnlyList<VolumeStatus>> ListAsync() => Host.Storage.ListVolumesAsync(Ct);

    private List<string> Mine(IReadOnlyList<VolumeStatus> volumes) =>
        volumes.Select(v => v.Name).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
