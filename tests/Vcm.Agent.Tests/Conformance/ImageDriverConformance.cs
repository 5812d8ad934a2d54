using Vcm.Drivers;
using Vcm.Drivers.Images;
using Xunit;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>The contract of <see cref="IImageDriver"/> (cached base images, copy-on-write disks), for any implementation.</summary>
public abstract class ImageDriverConformance : DriverConformance
{
    [ConformanceFact]
    public async Task EnsureImage_Twice_SecondIsUnchanged()
    {
        // A real host may hold the image from an earlier test already (images stay cached).
        var present = (await ListAsync()).Images.Contains(ImageName);

        var first = await EnsureImageAsync(ImageName);
        var second = await EnsureImageAsync(ImageName);

        Assert.Equal(present ? EnsureOutcome.Unchanged : EnsureOutcome.Created, first);
        Assert.Equal(EnsureOutcome.Unchanged, second);
        Assert.Contains(ImageName, (await ListAsync()).Images);
    }

    [ConformanceFact]
    public async Task EnsureImage_Unknown_FailsTerminally()
    {
        var image = Name("nosuch");

        var e = await Assert.ThrowsAsync<DriverException>(() => EnsureImageAsync(image));

        Assert.True(e.Terminal, "a missing image cannot appear by retrying: " + e.Message);
        Assert.DoesNotContain(image, (await ListAsync()).Images);
    }

    [ConformanceFact]
    public async Task EnsureDisk_New_IsCreatedAndListed()
    {
        await EnsureImageAsync(ImageName);
        var disk = Disk();

        Assert.Equal(EnsureOutcome.Created, await EnsureDiskAsync(disk));

        Assert.Contains(disk.Name, (await ListAsync()).Disks);
    }

    [ConformanceFact]
    public async Task EnsureDisk_Twice_SecondIsUnchanged()
    {
        await EnsureImageAsync(ImageName);
        var disk = Disk();

        var first = await EnsureDiskAsync(disk);
        var second = await EnsureDiskAsync(disk);

        Assert.Equal(EnsureOutcome.Created, first);
        Assert.Equal(EnsureOutcome.Unchanged, second);
        Assert.Single((await ListAsync()).Disks, d => d == disk.Name);
    }

    /// <summary>An image no one fetched (here: one that exists nowhere) is not present, whatever the host cached.</summary>
    [ConformanceFact]
    public async Task EnsureDisk_ImageNotPresent_FailsAndLeavesNoDisk()
    {
        var image = Name("noimage");
        Assert.DoesNotContain(image, (await ListAsync()).Images);
        var disk = Disk(image: image);

        await Assert.ThrowsAsync<DriverException>(() => EnsureDiskAsync(disk));

        var listed = await ListAsync();
        Assert.DoesNotContain(disk.Name, listed.Disks);
        Assert.DoesNotContain(image, listed.Images);
    }

    [ConformanceFact]
    public async Task DeleteDisk_Existing_IsDeletedAndImageStays()
    {
        await EnsureImageAsync(ImageName);
        var disk = Disk();
        await EnsureDiskAsync(disk);

        var deleted = await Host.Images.DeleteDiskAsync(disk.Name, Ct);

        Assert.Equal(DeleteOutcome.Deleted, deleted);
        var listed = await ListAsync();
        Assert.DoesNotContain(disk.Name, listed.Disks);
        Assert.Contains(ImageName, listed.Images);
    }

    [ConformanceFact]
    public async Task DeleteDisk_Twice_SecondIsAbsent()
    {
        await EnsureImageAsync(ImageName);
        var disk = Disk();
        await EnsureDiskAsync(disk);
        await Host.Images.DeleteDiskAsync(disk.Name, Ct);

        Assert.Equal(DeleteOutcome.Absent, await Host.Images.DeleteDiskAsync(disk.Name, Ct));
    }

    [ConformanceFact]
    public async Task DeleteDisk_NeverMade_IsAbsent() =>
        Assert.Equal(DeleteOutcome.Absent, await Host.Images.DeleteDiskAsync(Name("n1.qcow2"), Ct));

    [ConformanceFact]
    public async Task EnsureDisk_AfterDelete_IsCreated()
    {
        await EnsureImageAsync(ImageName);
        var disk = Disk();
        await EnsureDiskAsync(disk);
        await Host.Images.DeleteDiskAsync(disk.Name, Ct);

        Assert.Equal(EnsureOutcome.Created, await EnsureDiskAsync(disk));
        Assert.Contains(disk.Name, (await ListAsync()).Disks);
    }

    [ConformanceFact]
    public async Task ListDisks_TwoDisks_ListsBothUntilDeleted()
    {
        await EnsureImageAsync(ImageName);
        var first = Disk("n1");
        var second = Disk("n2");
        await EnsureDiskAsync(first);
        await EnsureDiskAsync(second);

        Assert.Equal([first.Name, second.Name], Mine((await ListAsync()).Disks));
        await Host.Images.DeleteDiskAsync(first.Name, Ct);
        Assert.Equal([second.Name], Mine((await ListAsync()).Disks));
    }

    private Task<ImageInventory> ListAsync() => Host.Images.ListAsync(Ct);

    private List<string> Mine(IReadOnlyList<string> names) =>
        names.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
}
