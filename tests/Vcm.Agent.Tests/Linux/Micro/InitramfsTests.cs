using System.Text;
using Vcm.Agent.Linux.Images.Micro;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>The initramfs tree and its newc cpio form, read back by an independent reader.</summary>
public sealed class InitramfsTests
{
    [Fact]
    public void WriteCpio_Tree_IsSortedWithParentsRootOwnedAndTimeless()
    {
        var tree = new Initramfs();
        tree.AddText("usr/share/x/file.txt", "hello");
        tree.AddSymlink("lib64/ld.so", "/lib/ld.so");
        tree.AddCharDevice("dev/console", 5, 1, 0x180);
        tree.AddFile("init", [1, 2, 3], 0x1ED);

        var entries = Read(tree);

        Assert.Equal(["dev", "dev/console", "init", "lib64", "lib64/ld.so", "usr", "usr/share", "usr/share/x", "usr/share/x/file.txt"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal((0L, 0, 0), (e.Mtime, e.Uid, e.Gid)));
        Assert.Equal(0x4000 | 0x1ED, entries[0].Mode);
        Assert.Equal(0xA000 | 0x1FF, entries[4].Mode);
        Assert.Equal("/lib/ld.so", Encoding.UTF8.GetString(entries[4].Data));
        Assert.Equal("hello", Encoding.UTF8.GetString(entries[8].Data));
        Assert.Equal([1, 2, 3], entries[2].Data);
    }

    [Fact]
    public void WriteCpio_SameTreeBuiltInAnotherOrder_IsTheSameBytes()
    {
        var one = new Initramfs();
        one.AddText("b/two", "2");
        one.AddText("a/one", "1");
        var two = new Initramfs();
        two.AddText("a/one", "1");
        two.AddText("b/two", "2");

        Assert.Equal(Bytes(one), Bytes(two));
    }

    [Fact]
    public void WriteCpio_EveryRecordStartsOnFourBytes_AndEndsWithTheTrailer()
    {
        var tree = new Initramfs();
        tree.AddText("odd-name-x", "12345");

        var bytes = Bytes(tree);

        Assert.Equal(0, bytes.Length % 4);
        Assert.Contains("TRAILER!!!", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Single(CpioReader.Read(bytes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a/../b")]
    [InlineData("./a")]
    public void Add_PathOutsideTheTree_IsRefused(string path)
    {
        Assert.Throws<ArgumentException>(() => new Initramfs().AddText(path, "x"));
    }

    private static byte[] Bytes(Initramfs tree)
    {
        using var stream = new MemoryStream();
        tree.WriteCpio(stream);
        return stream.ToArray();
    }

    private static IReadOnlyList<CpioEntry> Read(Initramfs tree) => CpioReader.Read(Bytes(tree));
}
