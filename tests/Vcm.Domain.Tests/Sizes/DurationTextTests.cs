using Vcm.Domain.Common;
using Xunit;

namespace Vcm.Domain.Tests.Sizes;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("2h", 7200)]
    [InlineData("1h30m", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("1w", 604800)]
    public void Parse_Valid(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var span));
        Assert.Equal(TimeSpan.FromSeconds(seconds), span);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("h")]
    [InlineData("2 hours")]
    [InlineData("1h 30m")]
    [InlineData("-1h")]
    public void Parse_Invalid(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData("99999999d")]
    [InlineData("99999999w99999999w99999999d")]
    public void Parse_LongerThanATimeSpanHolds_MaxValueNotOverflow(string text)
    {
        Assert.True(DurationText.TryParse(text, out var span));
        Assert.Equal(TimeSpan.MaxValue, span);
    }
}
