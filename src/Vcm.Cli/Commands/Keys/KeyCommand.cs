using System.CommandLine;

namespace Vcm.Cli.Commands.Keys;

/// <summary>vcm key: one's own SSH public keys.</summary>
public static class KeyCommand
{
    public static Command Create() => new("key", "Your SSH public keys: every cluster you create gets them.")
    {
        KeyAddCommand.Create(),
        KeyListCommand.Create(),
        KeyRemoveCommand.Create(),
    };
}
