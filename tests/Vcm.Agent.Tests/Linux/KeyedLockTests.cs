using Vcm.Agent.Linux;
using Xunit;

namespace Vcm.Agent.Tests.Linux;

public sealed class KeyedLockTests
{
    [Fact]
    public async Task Acquire_SameKeyTwice_SecondWaitsUntilTheFirstLetsGo()
    {
        var locks = new KeyedLock();
        var first = await locks.AcquireAsync("vm-a", CancellationToken.None);

        var second = locks.AcquireAsync("vm-a", CancellationToken.None);
        var other = await locks.AcquireAsync("vm-b", CancellationToken.None);

        Assert.False(second.IsCompleted, "a second holder got the key while the first held it");
        first.Dispose();
        (await second).Dispose();
        other.Dispose();
    }

    [Fact]
    public async Task Release_LastHolderOrWaiterGone_TableIsEmpty()
    {
        var locks = new KeyedLock();
        var first = await locks.AcquireAsync("vm-a", CancellationToken.None);
        var waiting = locks.AcquireAsync("vm-a", CancellationToken.None);
        var other = await locks.AcquireAsync("vm-b", CancellationToken.None);
        Assert.Equal(2, locks.Count);

        first.Dispose();
        var second = await waiting;
        Assert.Equal(2, locks.Count);
        second.Dispose();
        other.Dispose();
        other.Dispose(); // letting go twice is harmless

        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Acquire_WaiterCancelled_LeavesNothingBehind()
    {
        var locks = new KeyedLock();
        var held = await locks.AcquireAsync("vm-a", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = locks.AcquireAsync("vm-a", cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, locks.Count);
        (await locks.AcquireAsync("vm-a", CancellationToken.None)).Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Acquire_ManyCallersOnFewKeys_NeverTwoInsideOneKeyAndTheTableEmpties()
    {
        var locks = new KeyedLock();
        var inside = new int[4];
        var overlaps = 0;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var key = i % inside.Length;
            using (await locks.AcquireAsync($"vm-{key}", CancellationToken.None))
            {
                if (Interlocked.Increment(ref inside[key]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Decrement(ref inside[key]);
            }
        }));

        Assert.Equal(0, overlaps);
        Assert.Equal(0, locks.Count);
    }
}
