namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// One entry of an initramfs: <see cref="Path"/> is relative to the root ("bin/busybox"); <see cref="Data"/> is a
/// file's content or a symlink's target; <see cref="Permissions"/> are the low 12 mode bits. Owner is always root.
/// </summary>
public sealed record InitramfsEntry(string Path, InitramfsEntryKind Kind, int Permissions, byte[] Data)
{
    /// <summary>A device node's major and minor number (0 for everything else).</summary>
    public (int Major, int Minor) Device { get; init; }

    public int Mode => (int)Kind | (Permissions & 0xFFF);
}
