namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>What an initramfs entry is: its file-type bits in a cpio mode.</summary>
public enum InitramfsEntryKind
{
    Directory = 0x4000,
    File = 0x8000,
    Symlink = 0xA000,
    CharDevice = 0x2000,
}
