using Vcm.Cli.Commands.Clusters;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Tests.Lab;
using Vcm.Domain.Series;
using Xunit;

namespace Vcm.Cli.Tests.Commands;

/// <summary>`vcm cluster create … --repeat RULE [--time-zone Z] [--allow-partial]` makes a series; the options that go only with it (or not with it) are usage errors.</summary>
public sealed class RepeatTests
{
    [Fact]
    public void ClusterCreate_TakesRepeatTimeZoneAndAllowPartial_AndSeriesHasListShowDelete()
    {
        using var lab = new RecordedLab();
        var vcm = VcmCommandLine.Create(lab.Services);

        var create = vcm.Parse(["cluster", "create", "lab", "--workers", "16", "--start", "2027-04-06T09:00", "--time-zone", "Asia/Tokyo", "--for", "3h",
            "--repeat", "FREQ=WEEKLY;BYDAY=TU;COUNT=15", "--allow-partial"]);
        var list = vcm.Parse(["series", "list", "--output", "json"]);
        var show = vcm.Parse(["series", "show", "lab"]);
        var delete = vcm.Parse(["series", "delete", "lab", "--occurrence", "2027-04-13"]);

        Assert.Empty(create.Errors);
        Assert.Empty(list.Errors);
        Assert.Empty(show.Errors);
        Assert.Empty(delete.Errors);
    }

    [Fact]
    public void Check_ASeriesOnlyWithRepeat_AndNeitherWaitNorIdempotencyKeyWithIt()
    {
        Assert.False(Repeat.Check(new SeriesInput(), wait: true, idempotencyKey: "k"));
        Assert.True(Repeat.Check(new SeriesInput { Repeat = "FREQ=DAILY;COUNT=2", TimeZone = "Asia/Tokyo", AllowPartial = true }, wait: false, idempotencyKey: null));

        var zone = Assert.Throws<CliException>(() => Repeat.Check(new SeriesInput { TimeZone = "Asia/Tokyo" }, wait: false, idempotencyKey: null));
        var partial = Assert.Throws<CliException>(() => Repeat.Check(new SeriesInput { AllowPartial = true }, wait: false, idempotencyKey: null));
        var wait = Assert.Throws<CliException>(() => Repeat.Check(new SeriesInput { Repeat = "FREQ=DAILY;COUNT=2" }, wait: true, idempotencyKey: null));

        Assert.All([zone, partial, wait], e => Assert.Equal(ExitCodes.Usage, e.ExitCode));
        Assert.Equal("--time-zone and --allow-partial go with --repeat.", zone.Message);
        Assert.Equal("--wait and --idempotency-key are for a single cluster, not a series made with --repeat.", wait.Message);
    }
}
