using Vcm.Domain.Series;
using Xunit;

namespace Vcm.Domain.Tests.Series;

/// <summary>The starts of a rule: Ical.Net's expansion in a zone (local time kept across DST) or at a fixed offset, and every bad rule named.</summary>
public sealed class RecurrenceTests
{
    [Fact]
    public void WeeklyInTokyo_FifteenTuesdaysAtNineLocal()
    {
        var (starts, problems) = Recurrence.Expand("FREQ=WEEKLY;BYDAY=TU;COUNT=15", "2027-04-06T09:00", "Asia/Tokyo", 100);

        Assert.Empty(problems);
        Assert.Equal(15, starts.Count);
        Assert.All(starts, s => Assert.Equal((DayOfWeek.Tuesday, 9, 0), (s.Local.DayOfWeek, s.Local.Hour, s.Local.Minute)));
        Assert.Equal(new DateTimeOffset(2027, 4, 6, 0, 0, 0, TimeSpan.Zero), starts[0].Start);
        Assert.Equal(new DateTimeOffset(2027, 7, 13, 0, 0, 0, TimeSpan.Zero), starts[14].Start);
    }

    [Fact]
    public void NineInBerlin_StaysNineLocalAcrossTheDstChange_SoTheInstantMovesAnHour()
    {
        // Europe/Berlin moves to summer time on Sunday 2027-03-28
        var (starts, problems) = Recurrence.Expand("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "2027-03-23T09:00", "Europe/Berlin", 100);

        Assert.Empty(problems);
        Assert.Equal(
            [new DateTimeOffset(2027, 3, 23, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 30, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 4, 6, 7, 0, 0, TimeSpan.Zero)],
            starts.Select(s => s.Start.ToUniversalTime()));
        Assert.All(starts, s => Assert.Equal(9, s.Local.Hour));
    }

    [Fact]
    public void AStartWithAnOffsetAndAZone_IsReadInTheZone()
    {
        var (starts, _) = Recurrence.Expand("FREQ=WEEKLY;COUNT=3", "2027-03-23T08:00:00Z", "Europe/Berlin", 100);

        Assert.All(starts, s => Assert.Equal(9, s.Local.Hour));
        Assert.Equal(new DateTimeOffset(2027, 3, 30, 7, 0, 0, TimeSpan.Zero), starts[1].Start.ToUniversalTime());
    }

    [Fact]
    public void WithoutAZone_TheStartsOffsetIsKept_WhateverTheDst()
    {
        var (starts, problems) = Recurrence.Expand("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "2027-03-23T09:00+01:00", null, 100);

        Assert.Empty(problems);
        Assert.All(starts, s => Assert.Equal((8, TimeSpan.Zero), (s.Start.UtcDateTime.Hour, TimeSpan.Zero)));
        Assert.All(starts, s => Assert.Equal(TimeSpan.FromHours(1), s.Start.Offset));
    }

    [Fact]
    public void UntilBoundsTheRule()
    {
        var (starts, problems) = Recurrence.Expand("RRULE:FREQ=DAILY;UNTIL=20270410T000000Z", "2027-04-06T09:00Z", null, 100);

        Assert.Empty(problems);
        Assert.Equal(4, starts.Count);
    }

    public static TheoryData<string, string?, string?, string?, string[]> Bad() => new()
    {
        { "malformed", "FREQ=WEEKLY;BYDAY=XX;COUNT=3", "2027-04-06T09:00Z", null, ["repeat"] },
        { "garbage", "every tuesday", "2027-04-06T09:00Z", null, ["repeat"] },
        { "unbounded", "FREQ=WEEKLY;BYDAY=TU", "2027-04-06T09:00Z", null, ["repeat"] },
        { "too many by COUNT", "FREQ=DAILY;COUNT=101", "2027-04-06T09:00Z", null, ["repeat"] },
        { "too many by UNTIL", "FREQ=HOURLY;UNTIL=20280101T000000Z", "2027-04-06T09:00Z", null, ["repeat"] },
        { "unknown zone", "FREQ=DAILY;COUNT=2", "2027-04-06T09:00", "Mars/Olympus", ["timeZone"] },
        { "local start without zone", "FREQ=DAILY;COUNT=2", "2027-04-06T09:00", null, ["start"] },
        { "no start", "FREQ=DAILY;COUNT=2", null, null, ["start"] },
        { "no rule", null, "2027-04-06T09:00Z", null, ["repeat"] },
        { "all at once", "FREQ=DAILY", "soon", "Mars/Olympus", ["repeat", "start", "timeZone"] },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void BadInput_EveryProblemNamed_NoStarts(string what, string? rule, string? start, string? zone, string[] fields)
    {
        var (starts, problems) = Recurrence.Expand(rule, start, zone, 100);

        Assert.Empty(starts);
        Assert.True(fields.SequenceEqual(problems.Select(p => p.Field).Order(StringComparer.Ordinal)), $"{what}: {string.Join("; ", problems)}");
    }

    [Fact]
    public void TwoStartsOnOneDay_EveryNameCarriesTheTime()
    {
        var one = OccurrenceNames.For("lab", [new DateTime(2027, 4, 6, 9, 0, 0), new DateTime(2027, 4, 13, 9, 0, 0)]);
        var two = OccurrenceNames.For("lab", [new DateTime(2027, 4, 6, 9, 0, 0), new DateTime(2027, 4, 6, 15, 30, 0)]);

        Assert.Equal(["lab-20270406", "lab-20270413"], one);
        Assert.Equal(["lab-20270406-0900", "lab-20270406-1530"], two);
        Assert.True(OccurrenceNames.Matches("lab", "lab-20270406", "2027-04-06"));
        Assert.True(OccurrenceNames.Matches("lab", "lab-20270406-1530", "2027-04-06"));
        Assert.True(OccurrenceNames.Matches("lab", "lab-20270406-1530", "2027-04-06-1530"));
        Assert.False(OccurrenceNames.Matches("lab", "lab-20270406-0900", "2027-04-06-1530"));
        Assert.False(OccurrenceNames.Matches("lab", "lab-2-20270406", "2027-04-06"));
    }
}
