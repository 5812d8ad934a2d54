using Vcm.Domain.Sizes;
using Xunit;

namespace Vcm.Domain.Tests.Sizes;

public sealed class BitRateTests
{
    [Theory]
    [InlineData("100M", 100)]
    [InlineData("100m", 100)]
    [InlineData("1G", 1000)]
    [InlineData("2.5G", 2500)]
    [InlineData("50mbit", 50)]
    [InlineData(" 10 M ", 10)]
    [InlineData("100G", 100_000)]
    public void Parse_ValidText_GivesMbit(string text, int mbit)
    {
        Assert.True(BitRate.TryParse(text, out var rate, out var error), error);
        Assert.Equal(mbit, rate.Mbit);
    }

    [Theory]
    [InlineData("")]
    [InlineData("100")]
    [InlineData("fast")]
    [InlineData("100K")]
    [InlineData("-1M")]
    [InlineData("0M")]
    [InlineData("1.5M")]
    [InlineData("101G")]
    [InlineData(null)]
    public void Parse_BadText_SaysWhy(string? text)
    {
        Assert.False(BitRate.TryParse(text, out _, out var error));
        Assert.Contains("M", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, "100M")]
    [InlineData(1000, "1G")]
    [InlineData(2500, "2500M")]
    public void ToString_ShortestExactText(int mbit, string text) => Assert.Equal(text, new BitRate(mbit).ToString());
}
