using System.CommandLine;

namespace Vcm.Cli.Commands.Tokens;

/// <summary>vcm token: API tokens.</summary>
public static class TokenCommand
{
    public static Command Create() => new("token", "API tokens: shown once when made, kept only as hashes, revocable.")
    {
        TokenCreateCommand.Create(),
        TokenListCommand.Create(),
        TokenRevokeCommand.Create(),
    };
}
