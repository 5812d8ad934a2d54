using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Peers;

/// <summary>vcm peer add NAME URL --token T</summary>
public static class PeerAddCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The peer site's name, as it calls itself." };
        var url = new Argument<string>("url") { Description = "The peer site's manager, like http://10.1.0.1:8710." };
        var token = new Option<string?>("--token") { Description = "A peer token from `vcm peer token` at that site (required)." };
        var command = new Command("add", "Register another site as a peer: this manager and that one exchange keys and authenticate every call after.")
        {
            name, url, token,
        };
        command.SetAction(async (cli, ct) =>
        {
            var (site, address) = (cli.Get(name)!, cli.Get(url)!);
            if (cli.Get(token) is not { Length: > 0 } secret)
            {
                throw new CliException($"vcm peer add needs --token: run `vcm peer token` at site {site} and pass what it prints", ExitCodes.Usage);
            }

            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CliException($"'{address}' is not an http:// or https:// URL of site {site}'s manager", ExitCodes.Usage);
            }

            var peer = await PeerApi.CallAsync(cli, "POST /api/v1/peers", c => c.AddPeerAsync(new PeerAddRequest(site, address, secret), ct));
            if (cli.Json)
            {
                cli.WriteJson(peer);
            }
            else
            {
                Console.Out.WriteLine($"site {peer.Name} ({peer.Url}) is a peer of this site");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
