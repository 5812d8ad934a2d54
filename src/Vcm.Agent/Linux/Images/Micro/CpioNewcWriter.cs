using System.Globalization;
using System.Text;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// Writes cpio "newc" (SVR4, no CRC) records, the format the kernel unpacks an initramfs from: a 110-byte ASCII
/// header of 13 eight-digit hex fields, the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes.
/// Owner, group and mtime are always 0, so the same entries give the same bytes.
/// </summary>
public sealed class CpioNewcWriter(Stream output)
{
    private const string Magic = "070701";
    private const string TrailerName = "TRAILER!!!";

    public void Write(InitramfsEntry entry, int inode)
    {
        var links = entry.Kind == InitramfsEntryKind.Directory ? 2 : 1;
        WriteRecord(entry.Path, inode, entry.Mode, links, entry.Data, entry.Device.Major, entry.Device.Minor);
    }

    public void WriteTrailer() => WriteRecord(TrailerName, 0, 0, 1, [], 0, 0);

    private void WriteRecord(string name, int inode, int mode, int links, byte[] data, int deviceMajor, int deviceMinor)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder(110).Append(Magic);
        foreach (var field in new long[] { inode, mode, 0, 0, links, 0, data.Length, 0, 0, deviceMajor, deviceMinor, nameBytes.Length + 1, 0 })
        {
            header.Append(field.ToString("x8", CultureInfo.InvariantCulture));
        }

        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        output.WriteByte(0);
        Pad(110 + nameBytes.Length + 1);
        output.Write(data);
        Pad(data.Length);
    }

    private void Pad(long length)
    {
        var padding = (int)((4 - (length % 4)) % 4);
        for (var i = 0; i < padding; i++)
        {
            output.WriteByte(0);
        }
    }
}
