using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Linux.Network;

/// <summary>Files the gateway's daemons read: written whole (temp file + rename), only readable by root, only when changed.</summary>
internal static class FileText
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="content"/> unless the file holds exactly that already; true if it wrote.</summary>
    public static async Task<bool> WriteIfChangedAsync(string path, string content, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == content)
        {
            return false;
        }

        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        await using (var stream = new FileStream(temp, options))
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        return true;
    }

    /// <summary>Deletes the file if it is there; true if it was.</summary>
    public static bool DeleteIfExists(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    public static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
