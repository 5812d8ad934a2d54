using System.Buffers.Binary;
using System.Text;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// The little a 64-bit little-endian ELF file tells the image builder: the program interpreter (PT_INTERP), the
/// shared libraries it needs (DT_NEEDED), and a named section's bytes (a kernel module's .modinfo).
/// </summary>
public sealed class ElfFile
{
    private const int SectionHeaderSize = 64;
    private const uint PtInterp = 3;
    private const uint ShtDynamic = 6;
    private const long DtNeeded = 1;
    private readonly byte[] _bytes;
    private readonly List<(string Name, uint Type, long Offset, long Size, int Link)> _sections = [];

    private ElfFile(byte[] bytes)
    {
        _bytes = bytes;
        ReadSections();
    }

    public string? Interpreter { get; private set; }

    public IReadOnlyList<string> Needed { get; private set; } = [];

    /// <summary>True when the file starts with the ELF magic.</summary>
    public static bool IsElf(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    public static ElfFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || !bytes.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var elf = new ElfFile(bytes);
        elf.Interpreter = elf.ReadInterpreter();
        elf.Needed = elf.ReadNeeded();
        return elf;
    }

    /// <summary>The bytes of the section with this name, or null.</summary>
    public byte[]? Section(string name)
    {
        foreach (var section in _sections)
        {
            if (section.Name == name)
            {
                return _bytes.AsSpan((int)section.Offset, (int)section.Size).ToArray();
            }
        }

        return null;
    }

    private void ReadSections()
    {
        var offset = U64(0x28);
        int size = U16(0x3A), count = U16(0x3C), namesIndex = U16(0x3E);
        if (offset == 0 || count == 0 || size != SectionHeaderSize)
        {
            return;
        }

        var raw = new List<(int Name, uint Type, long Offset, long Size, int Link)>();
        for (var i = 0; i < count; i++)
        {
            var at = offset + (i * SectionHeaderSize);
            raw.Add(((int)U32(at), U32(at + 4), U64(at + 0x18), U64(at + 0x20), (int)U32(at + 0x28)));
        }

        var names = raw[namesIndex];
        foreach (var s in raw)
        {
            _sections.Add((CString(names.Offset + s.Name), s.Type, s.Offset, s.Size, s.Link));
        }
    }

    private string? ReadInterpreter()
    {
        var offset = U64(0x20);
        int size = U16(0x36), count = U16(0x38);
        for (var i = 0; i < count; i++)
        {
            var at = offset + (i * size);
            if (U32(at) == PtInterp)
            {
                return CString(U64(at + 8));
            }
        }

        return null;
    }

    private List<string> ReadNeeded()
    {
        var needed = new List<string>();
        foreach (var dynamic in _sections.Where(s => s.Type == ShtDynamic))
        {
            var strings = _sections[dynamic.Link];
            for (var at = dynamic.Offset; at + 16 <= dynamic.Offset + dynamic.Size; at += 16)
            {
                var tag = U64(at);
                if (tag == 0)
                {
                    break;
                }

                if (tag == DtNeeded)
                {
                    needed.Add(CString(strings.Offset + U64(at + 8)));
                }
            }
        }

        return needed;
    }

    private string CString(long at)
    {
        var end = Array.IndexOf(_bytes, (byte)0, (int)at);
        return Encoding.UTF8.GetString(_bytes, (int)at, (end < 0 ? _bytes.Length : end) - (int)at);
    }

    private int U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan((int)at));

    private uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan((int)at));

    private long U64(long at) => (long)BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan((int)at));
}
