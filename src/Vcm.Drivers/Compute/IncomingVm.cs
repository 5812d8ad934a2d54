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
    /// Whether the source copies its whole disk (the image's blocks too), not only its overlay's: across sites the
    /// receiver's overlay sits on the other site's copy of the image, which the source cannot know is the same.
    /// </summary>
    public bool WholeDisk { get; init; }
}
