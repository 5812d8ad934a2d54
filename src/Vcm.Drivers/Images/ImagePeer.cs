namespace Vcm.Drivers.Images;

/// <summary>
/// Another host an image may be copied from while (or after) it copies the image itself: the agent serving it, the
/// host's name there, and the read-only token that agent accepts for its image files (<see cref="Rpc.ImageReadToken"/>).
/// </summary>
public sealed record ImagePeer(string Host, string AgentUrl, string Token);
