using Vcm.Agent.Linux.Images.Micro;

namespace Vcm.Agent.Linux.Images;

/// <summary>How image builders write the files of an image: beside the final name, then renamed into place.</summary>
public static class ImageFiles
{
    /// <summary>Writes a file of the image beside its final name, then renames it; returns its manifest entry.</summary>
    public static async Task<MicroImageFile> WriteAsync(string directory, string name, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var final = Path.Combine(directory, name);
        var scratch = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
            {
                await write(stream);
            }

            File.Move(scratch, final, overwrite: true);
        }
        finally
        {
            File.Delete(scratch);
        }

        return new MicroImageFile(name, await MicroImageManifest.Sha256Async(final, cancellationToken), new FileInfo(final).Length);
    }

    public static async Task CopyAsync(string source, Stream destination, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(source);
        await input.CopyToAsync(destination, cancellationToken);
    }

    public static async Task CopyFileAsync(string source, string destination, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write);
        await CopyAsync(source, output, cancellationToken);
        File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
    }
}
