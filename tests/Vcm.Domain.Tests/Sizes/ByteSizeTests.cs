using Vcm.Domain.Sizes;
using Xunit;

namespace Vcm.Domain.Tests.Sizes;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("512M", 512)]
    [InlineData("2G", 2048)]
    [InlineData("2g", 2048)]
    [InlineData("1.5G", 1536)]
    [InlineData("1T", 1024 * 1024)]
    [InlineData("2048K", 2)]
    [InlineData("4GiB", 4096)]
    [InlineData("4GB", 4096)]
    [InlineData(" 8M ", 8)]
    public void Parse_ValidText_GivesMebibytes(string text, long mebibytes)
    {
        Assert.True(ByteSize.TryParse(text, out var size, out var error), error);
        Assert.Equal(mebibytes, size.Mebibytes);
    }

    [Theory]
    [InlineData("12X")]
    [InlineData("512")]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-1G")]
    [InlineData("1.0000001G")]
    [InlineData("1K")]
    [InlineData("99999999999999T")]
    public void Parse_BadText_SaysWhy(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData(512, "512M")]
    [InlineData(2048, "2G")]
    [InlineData(1536, "1536M")]
    [InlineData(1024 * 1024, "1T")]
    public void ToString_ShortestExactForm(long mebibytes, string text) =>
        Assert.Equal(text, ByteSize.FromMebibytes(mebibytes).ToString());
}
