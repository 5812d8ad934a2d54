using System.CommandLine;

namespace Vcm.Cli.Commands.Peers;

/// <summary>vcm peer: the other sites this site federates with.</summary>
public static class PeerCommand
{
    public static Command Create() => new("peer", "Peers: other sites' managers this site federates with (a key exchange at `add`).")
    {
        PeerAddCommand.Create(),
        PeerListCommand.Create(),
        PeerRemoveCommand.Create(),
        PeerTokenCommand.Create(),
    };
}
