using Vcm.Manager.Controllers;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Controllers;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task SameKeyAddedTwice_TakenOnce()
    {
        var queue = new WorkQueue(new ManualClock());
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("b", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task KeyAddedWhileProcessing_NotHandedOutAgain_UntilDone_ThenOnce()
    {
        var queue = new WorkQueue(new ManualClock());
        queue.Add("a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Count);

        queue.Done(key);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));
        queue.Done("a");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task AddAfter_WaitsForTheClock()
    {
        var clock = new ManualClock();
        var queue = new WorkQueue(clock);
        queue.AddAfter("later", TimeSpan.FromMinutes(5));

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, queue.Count);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("later", await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ManyWorkers_NeverProcessOneKeyConcurrently()
    {
        var queue = new WorkQueue(TimeProvider.System);
        var running = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var violations = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                string key;
                try
                {
                    key = await queue.TakeAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (running.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
                running.AddOrUpdate(key, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(key);
            }
        })).ToList();

        for (var i = 0; i < 5000; i++)
        {
            queue.Add($"k{i % 7}");
        }

        while (queue.Count > 0 || queue.Active().Count > 0)
        {
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.Equal(0, violations);
        Assert.True(processed >= 7);
    }

    [Fact]
    public async Task AddAfter_SameKeyManyTimes_OneTimer_TheEarliestWins()
    {
        var clock = new ManualClock();
        using var queue = new WorkQueue(clock);

        for (var i = 0; i < 100; i++)
        {
            queue.AddAfter("a", TimeSpan.FromSeconds(10 + i));
        }

        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        Assert.Equal(1, queue.Delayed);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, queue.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), (queue.Count, queue.Delayed));
        Assert.Equal("a", await queue.TakeAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, queue.Count); // the later times were dropped with their timers
    }
}
