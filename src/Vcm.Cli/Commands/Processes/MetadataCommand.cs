using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vcm.Agent.Metadata;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm metadata --dir GATEWAY_DIR --listen http://IP:80: a cluster gateway's metadata service.</summary>
public static class MetadataCommand
{
    public static Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = "The gateway's folder: nodes.json is read from it, phone-home/NODE.json written to it." };
        var listen = new Option<string?>("--listen") { Description = "Where to listen: the gateway's address on the cluster segment, like http://10.0.0.1:80." };
        var packages = new Option<string?>("--packages") { Description = "The host's package socket: the site's package repository, served to the nodes at /apt." };
        var command = new Command("metadata", "Serve a cluster gateway's nodes their metadata and take their phone-home reports (run by the network driver).")
        {
            dir, listen, packages,
        };
        command.SetAction(async (cli, ct) =>
        {
            var options = new MetadataServerOptions
            {
                Directory = Path.GetFullPath(cli.Get(dir) ?? throw new CliException("vcm metadata needs --dir GATEWAY_DIR", ExitCodes.Usage)),
                Listen = cli.Get(listen) ?? throw new CliException("vcm metadata needs --listen http://IP:80", ExitCodes.Usage),
                PackageSocket = cli.Get(packages),
            };
            await using var app = MetadataServer.Build(options);
            await app.StartAsync(ct);
            var nodes = app.Services.GetRequiredService<NodeTable>().Count;
            Console.Out.WriteLine($"vcm metadata: {nodes} nodes from {GatewayFiles.NodesFile(options.Directory)}, listening on {MetadataServer.ListeningUrl(app)}");
            await Console.Out.FlushAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
