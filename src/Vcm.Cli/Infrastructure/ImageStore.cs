namespace Vcm.Cli.Infrastructure;

/// <summary>The site's image store as `vcm up` prepares it: the micro image is built into it when missing.</summary>
public static class ImageStore
{
    public static Task EnsureMicroAsync(string directory, Action<string> say, CancellationToken cancellationToken)
    {
        // Wired to the micro image builder when the real drivers land.
        say($"image store: {directory}");
        return Task.CompletedTask;
    }
}
