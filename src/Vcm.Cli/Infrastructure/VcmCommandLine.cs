using System.CommandLine;
using Vcm.Cli.Commands.Accounts;
using Vcm.Cli.Commands.Audit;
using Vcm.Cli.Commands.Clusters;
using Vcm.Cli.Commands.Hosts;
using Vcm.Cli.Commands.Images;
using Vcm.Cli.Commands.Keys;
using Vcm.Cli.Commands.Nodes;
using Vcm.Cli.Commands.Peers;
using Vcm.Cli.Commands.Processes;
using Vcm.Cli.Commands.Sites;
using Vcm.Cli.Commands.Tenants;
using Vcm.Cli.Commands.Tokens;
using Vcm.Cli.Commands.Users;

namespace Vcm.Cli.Infrastructure;

/// <summary>The `vcm` command with every subcommand, composed over the services they use.</summary>
public static class VcmCommandLine
{
    public static RootCommand Create(CliServices services) => new("vcm: reserve, build and release whole virtual clusters across sites.")
    {
        GlobalOptions.Output,
        GlobalOptions.Server,
        UpCommand.Create(services),
        DownCommand.Create(services),
        ManagerCommand.Create(),
        AgentCommand.Create(services),
        MetadataCommand.Create(),
        ClusterCommand.Create(),
        Commands.Series.SeriesCommand.Create(),
        HostCommand.Create(services),
        ImageCommand.Create(services),
        SiteCommand.Create(),
        Commands.Sites.CapacityCommand.Create(),
        PeerCommand.Create(),
        NodeCommand.Create(),
        SshCommand.Create(services),
        TenantCommand.Create(),
        UserCommand.Create(),
        KeyCommand.Create(),
        TokenCommand.Create(),
        LoginCommand.Create(),
        LogoutCommand.Create(),
        WhoAmICommand.Create(),
        ContextCommand.Create(),
        AuditCommand.Create(),
    };
}
