using Vcm.Agent.Linux.Images.Micro;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>The ELF reader against the program running the tests (dotnet: dynamically linked, x86-64 Linux).</summary>
public sealed class ElfFileTests
{
    [Fact]
    public void Read_DynamicProgram_HasInterpreterAndNeedsLibc()
    {
        var elf = ElfFile.Read(Environment.ProcessPath!);

        Assert.NotNull(elf.Interpreter);
        Assert.StartsWith("/lib", elf.Interpreter, StringComparison.Ordinal);
        Assert.Contains(elf.Needed, n => n.StartsWith("libc.so", StringComparison.Ordinal));
        Assert.NotNull(elf.Section(".dynstr"));
        Assert.Null(elf.Section(".no-such-section"));
    }

    [Fact]
    public void Read_NotElf_Throws()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "#!/bin/sh\n");
            Assert.False(ElfFile.IsElf(file));
            Assert.Throws<InvalidDataException>(() => ElfFile.Read(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
