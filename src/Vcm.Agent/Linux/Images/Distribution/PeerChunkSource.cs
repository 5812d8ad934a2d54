using Vcm.Drivers.Images;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>Another host's agent, serving the image files it holds or is copying (<see cref="AgentPaths.ImageFile"/>).</summary>
internal sealed class PeerChunkSource(HttpClient http, ImagePeer peer) : IChunkSource
{
    public string Name => $"peer host {peer.Host}";

    public Task<Stream> OpenAsync(string image, string file, long offset, long length, CancellationToken cancellationToken) =>
        HttpRanges.OpenAsync(http, peer.AgentUrl.TrimEnd('/') + AgentPaths.ImageFile(peer.Host, image, file), peer.Token, offset, length, Name, cancellationToken);
}
