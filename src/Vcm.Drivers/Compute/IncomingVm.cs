namespace Vcm.Drivers.Compute;

/// <summary>
/// The receiving end of a live migration as its host made it: a VM started from the same spec that waits for the
/// source's memory (<see cref="MigrationUri"/>, e.g. tcp:10.0.0.2:49152) and for the source's disk
/// (<see cref="DiskUri"/>, e.g. nbd:10.0.0.2:49153:exportname=disk0), on <see cref="Host"/>.
/// </summary>
public sealed record IncomingVm(string Name, string Host, string MigrationUri, string DiskUri)
{
    /// <summary>
    /// The listen address that makes a receiver listen on unix sockets in its VM's folder (unix:PATH and
    /// nbd+unix:///disk0?socket=PATH) rather than on a TCP address: for a migration that reaches it through a relay.
    /// </summary>
    public const string UnixSockets = "unix";

    /// <summary>
    /// The image version the receiver's disk is an overlay of (its folder's name, NAME@VERSION, VERSION from the
    /// image's files); null when not known. The source copies only the top of its own overlay, so it refuses to
    /// migrate into a receiver over another version — across sites, the other site's copy of an image of that name may
    /// not be the same bytes.
    /// </summary>
    public string? Image { get; init; }
}
