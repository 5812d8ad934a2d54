using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Lab;

/// <summary>
/// Registers a lab's other site as site a's peer, as an admin would by hand: a peer token made at that site, given to
/// site a's manager with the site's name and URL (the managers then exchange keys). On a resumed lab the sites are
/// peers already; adding again with a new token replaces the keys, and a "peer exists" refusal is taken as done.
/// </summary>
public static class LabPeering
{
    public static async Task PeerAsync(VcmClient home, LabSiteManager site, VcmClient remote, CancellationToken cancellationToken)
    {
        var name = site.Site.Name;
        PeerTokenView token;
        try
        {
            token = await remote.CreatePeerTokenAsync(cancellationToken);
        }
        catch (VcmApiException e)
        {
            throw Failure(name, e.Status == 404 && e.Problem.Detail is null
                ? $"site {name}'s manager at {site.Url} has no peer API (404 on POST /api/v1/peers/tokens); this vcm cannot federate yet"
                : $"site {name}'s manager did not make a peer token: {e.Message}");
        }

        try
        {
            await home.AddPeerAsync(new PeerAddRequest(name, site.MgmtUrl, token.Token), cancellationToken);
        }
        catch (VcmApiException e) when (e.Status == 409)
        {
            if (!(await home.ListPeersAsync(cancellationToken)).Any(p => p.Name == name))
            {
                throw Failure(name, $"site a's manager refused to add site {name} as a peer: {e.Message}");
            }
        }
        catch (VcmApiException e)
        {
            throw Failure(name, e.Status == 404 && e.Problem.Detail is null
                ? "site a's manager has no peer API (404 on POST /api/v1/peers); this vcm cannot federate yet"
                : $"site a's manager refused to add site {name} as a peer: {e.Message}");
        }
    }

    private static CliException Failure(string site, string reason) =>
        new($"Peering the lab's site a with site {site} failed: {reason.TrimEnd('.')}", ExitCodes.Failed);
}
