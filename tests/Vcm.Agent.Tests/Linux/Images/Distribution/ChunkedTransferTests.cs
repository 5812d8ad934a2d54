using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Images.Distribution;

/// <summary>One host copying from the store over real HTTP on loopback: resumed after cuts and failures, failed only on a stall.</summary>
public sealed class ChunkedTransferTests : DistributionTests
{
    [Fact]
    public async Task ConnectionCutMidChunk_ResumesAtTheByteItStopped()
    {
        var bytes = await AddImageAsync("cut", 16, 1);
        Lab.Store.CutAfter = 300 * 1024;
        Lab.Store.CutTimes = 2;
        var host = await Lab.HostAsync("h1");

        Assert.Equal(EnsureOutcome.Created, await host.Driver.EnsureImageAsync("cut", Ct));

        Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(host.ImagePath("cut", File)));
        Assert.Equal(0, Lab.Store.CutTimes);
        // Two cuts, each resumed by a Range from where it stopped: nothing near a chunk, let alone the file, is sent twice.
        Assert.InRange(Lab.Store.Sent("cut", File), bytes.Length, bytes.Length + 2 * 256 * 1024);
    }

    [Fact]
    public async Task StoreFailsMidFile_CopyFailsAndKeepsItsPartial_NextAttemptResumesFromTheLastGoodChunk()
    {
        var bytes = await AddImageAsync("resume", 16, 2);
        Lab.Store.RefuseFrom = 10L * DistributionLab.Chunk;
        var host = await Lab.HostAsync("h1");

        var e = await Assert.ThrowsAsync<DriverException>(() => host.Driver.EnsureImageAsync("resume", Ct));

        Assert.False(e.Terminal, e.Message);
        Assert.Contains("offset 10485760", e.Message, StringComparison.Ordinal);
        Assert.Empty((await host.Driver.ListAsync(Ct)).Images);
        var partialFolder = Assert.Single(Directory.GetDirectories(host.ImagesFolder, ".resume@*.partial"));
        var partial = Path.Combine(partialFolder, File);
        Assert.Equal(10L * DistributionLab.Chunk, new FileInfo(partial).Length);
        var before = Lab.Store.Sent("resume", File);

        Lab.Store.RefuseFrom = null;
        Assert.Equal(EnsureOutcome.Created, await host.Driver.EnsureImageAsync("resume", Ct));

        Assert.Equal(6L * DistributionLab.Chunk, Lab.Store.Sent("resume", File) - before);
        Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(host.ImagePath("resume", File)));
        Assert.False(Directory.Exists(partialFolder));
    }

    [Fact]
    public async Task StoreStopsSending_FailsAfterTheStallWindowNamingHostFileAndOffset()
    {
        await AddImageAsync("stall", 4, 3);
        Lab.Store.StallAfter = 200 * 1024;
        // a window a loaded machine's pauses do not reach (300 ms failed once in a full run, at another offset)
        var host = await Lab.HostAsync("h-stall", new ImageTransferOptions { ChunkSize = DistributionLab.Chunk, StallWindow = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<DriverException>(() => host.Driver.EnsureImageAsync("stall", Ct));

        Assert.Contains("host h-stall", e.Message, StringComparison.Ordinal);
        Assert.Contains(File, e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 204800", e.Message, StringComparison.Ordinal);
        Assert.Contains("no byte", e.Message, StringComparison.Ordinal);
        Assert.Empty((await host.Driver.ListAsync(Ct)).Images);
    }

    [Fact]
    public async Task SlowLink_TakesManyStallWindows_AndDoesNotTimeOut()
    {
        var bytes = await AddImageAsync("slow", 4, 4);
        // 4 MiB at 1 MiB/s is about 4 s, longer than the stall window, which only counts time without bytes (3 s: a
        // loaded 2-core machine has been seen to leave 1 s without a byte while the store paced at 64 KiB a step).
        Lab.Store.Rate = DistributionLab.Chunk;
        var host = await Lab.HostAsync("h-slow", new ImageTransferOptions { ChunkSize = DistributionLab.Chunk, StallWindow = TimeSpan.FromSeconds(3) });

        Assert.Equal(EnsureOutcome.Created, await host.Driver.EnsureImageAsync("slow", Ct));

        Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(host.ImagePath("slow", File)));
    }

    [Fact]
    public async Task DiskTooSmall_FailsNamingHostAndNeed_AndLeavesNothing()
    {
        await AddImageAsync("full", 8, 5);
        var host = await Lab.HostAsync("h-full", new ImageTransferOptions { ChunkSize = DistributionLab.Chunk, FreeSpace = _ => DistributionLab.Chunk });

        var e = await Assert.ThrowsAsync<DriverException>(() => host.Driver.EnsureImageAsync("full", Ct));

        Assert.Equal($"host h-full cannot hold image full: it needs 8 MiB more in {host.ImagesFolder}, which has 1 MiB free", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(host.ImagesFolder));
        Assert.Equal(0, Lab.Store.Sent("full", File));
    }

    [Fact]
    public async Task ChunkList_IsComputedOnceAndAgainWhenTheFileChanges()
    {
        var bytes = await AddImageAsync("listed", 3, 6, extra: 5);

        var list = await ChunkListCache.GetAsync(Lab.Store.Folder, "listed", File, DistributionLab.Chunk, Ct);

        Assert.NotNull(list);
        Assert.Equal(4, list.Count);
        Assert.Equal(5, list.Length(3));
        Assert.Equal(DistributionLab.Sha(bytes), list.Sha256);
        Assert.Equal(DistributionLab.Sha(bytes[..DistributionLab.Chunk]), list.Chunks[0]);
        Assert.True(System.IO.File.Exists(Path.Combine(Lab.Store.Folder, ".cache", "chunks", "listed", $"{File}.{DistributionLab.Chunk}.json")));
        await System.IO.File.WriteAllBytesAsync(Path.Combine(Lab.Store.Folder, "listed", File), bytes[..100]);
        Assert.Equal(100, (await ChunkListCache.GetAsync(Lab.Store.Folder, "listed", File, DistributionLab.Chunk, Ct))!.Size);
    }
}
