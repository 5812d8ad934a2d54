using System.CommandLine;

namespace Vcm.Cli.Commands.Sites;

public static class SiteCommand
{
    public static Command Create() => new("site", "Sites: this one and its peers.")
    {
        SiteListCommand.Create(),
        SiteCaCommand.Create(),
        SiteLimitsCommand.Create(),
    };
}
