using System.Globalization;
using System.Text;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>Reads a newc cpio archive (written by the builder) back, independently of the writer, in archive order.</summary>
public static class CpioReader
{
    public static IReadOnlyList<CpioEntry> Read(byte[] archive)
    {
        var entries = new List<CpioEntry>();
        var at = 0;
        while (true)
        {
            var header = Encoding.ASCII.GetString(archive, at, 110);
            if (!header.StartsWith("070701", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"no newc magic at offset {at}");
            }

            int Field(int index) => int.Parse(header.AsSpan(6 + (index * 8), 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var nameSize = Field(11);
            var dataSize = Field(6);
            var name = Encoding.UTF8.GetString(archive, at + 110, nameSize - 1);
            at = Align(at + 110 + nameSize);
            var data = archive.AsSpan(at, dataSize).ToArray();
            at = Align(at + dataSize);
            if (name == "TRAILER!!!")
            {
                break;
            }

            entries.Add(new CpioEntry(name, Field(1), Field(5), Field(2), Field(3), data));
        }

        return entries;
    }

    private static int Align(int offset) => (offset + 3) & ~3;
}
