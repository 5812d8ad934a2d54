using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Sites;

/// <summary>vcm site ca: the site's CA certificate and its fingerprint (what join and peer tokens carry, and `vcm login --ca-fingerprint` pins).</summary>
public static class SiteCaCommand
{
    public static Command Create()
    {
        var command = new Command("ca", "The site's CA certificate (PEM) and its fingerprint.");
        command.SetAction(async (cli, ct) =>
        {
            var ca = await cli.Client().GetSiteCaAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(ca);
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"fingerprint: {ca.Fingerprint}");
            Console.Out.Write(ca.Certificate);
            return ExitCodes.Ok;
        });
        return command;
    }
}
