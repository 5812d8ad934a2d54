using Vcm.Domain.Clusters;
using Vcm.Domain.Series;
using Xunit;

namespace Vcm.Domain.Tests.Series;

/// <summary>A series request read into one cluster spec per start: names, subnets, the site's limits per occurrence, every problem listed.</summary>
public sealed class SeriesParserTests
{
    private static readonly DateTimeOffset Now = new(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SpecContext Context = new(Now, new HashSet<string> { "micro" }, new HashSet<string> { "a" });

    private static SeriesInput Lab(string rule = "FREQ=WEEKLY;BYDAY=TU;COUNT=15") => new()
    {
        Name = "lab", Workers = 16, Start = "2027-04-06T09:00", TimeZone = "Asia/Tokyo", Duration = "3h", Repeat = rule,
    };

    [Fact]
    public void FifteenTuesdays_FifteenSpecs_NamedByLocalDate_EachWithItsOwnSubnet()
    {
        var (plan, problems) = SeriesParser.Parse(Lab(), Context);

        Assert.Empty(problems);
        Assert.Equal(15, plan!.Occurrences.Count);
        Assert.Equal("lab-20270406", plan.Occurrences[0].Spec.Name);
        Assert.Equal("lab-20270713", plan.Occurrences[14].Spec.Name);
        Assert.Equal("2027-07-13", plan.Occurrences[14].Occurrence.Date);
        Assert.All(plan.Occurrences, o => Assert.Equal(TimeSpan.FromHours(3), o.Spec.End - o.Spec.Start));
        Assert.Equal(15, plan.Occurrences.Select(o => o.Spec.Subnet).Distinct().Count());
    }

    [Fact]
    public void TheLastOccurrencesBeyondTheSitesAdvanceLimit_AreNamedWithTheirDates()
    {
        var limited = Context with { Limits = new SiteLimits(TimeSpan.FromHours(2), TimeSpan.FromDays(60)) };

        var (plan, problems) = SeriesParser.Parse(Lab("FREQ=WEEKLY;BYDAY=TU;COUNT=10"), limited);

        Assert.Null(plan);
        Assert.Contains(problems, p => p.Field == "duration" && p.Message.Contains("longest lease is 2h", StringComparison.Ordinal));
        var late = problems.Where(p => p.Field == "repeat").Select(p => p.Message).ToList();
        Assert.Equal(["2027-06-01", "2027-06-08"], late.Select(m => m.Split(':')[0].Replace("occurrence ", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void MoreOccurrencesThanTheSiteAllows_IsAProblem()
    {
        var (plan, problems) = SeriesParser.Parse(Lab(), Context with { Limits = SiteLimits.None with { MaxOccurrences = 10 } });

        Assert.Null(plan);
        Assert.Equal("repeat", Assert.Single(problems).Field);
        Assert.Contains("at most 10", problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemAtOnce_RuleZoneAndSpecFields()
    {
        var input = Lab("FREQ=WEEKLY") with { Workers = 0, TimeZone = "Nowhere/City", LatestStart = "2027-04-07T00:00Z", Subnet = "10.1.0.0/24", Name = new string('a', 55) };

        var (plan, problems) = SeriesParser.Parse(input, Context);

        Assert.Null(plan);
        Assert.Equal(["latestStart", "name", "repeat", "subnet", "timeZone", "workers"], problems.Select(p => p.Field).Distinct().Order(StringComparer.Ordinal));
    }
}
