using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Domain.Common;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Auth;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/agents: how agents join the site (with a join token) and report (with their own key).</summary>
public static partial class AgentEndpoints
{
    public static void MapAgents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/agents").WithTags("agents");
        group.MapPost("/join", JoinAsync).WithName("joinSite").Produces<AgentJoinResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("An agent joins the site with a join token and reports its hosts.");
        group.MapPost("/heartbeat", HeartbeatAsync).WithName("sendHeartbeat").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("An agent reports that it and its hosts are alive (authenticated by the agent's key).");
    }

    private static async Task<IResult> JoinAsync(
        AgentJoinRequest request, TokenCache tokens, HostStore hosts, LocalSite site, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = Check(request.AgentId, request.AgentKey, request.Url, request.Hosts.Select(h => h.Name).ToList());
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The join request is not valid");
        }

        var kind = await tokens.KindOfAsync(request.Token ?? "", cancellationToken);
        var knownAgent = (await hosts.GetAgentsAsync([request.AgentId], cancellationToken)).GetValueOrDefault(request.AgentId);
        var rejoining = knownAgent is not null && knownAgent.Key == request.AgentKey;
        if (kind is not ("join" or "admin") && !rejoining)
        {
            return Results.Problem(title: "Unauthorized", detail: "The join token is not valid.", statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
        }

        var reports = request.Hosts.Select(Report).ToList();
        var joined = await hosts.JoinAsync(site.Id, request.AgentId, request.AgentKey, request.Url, reports, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return Results.Ok(new AgentJoinResponse(site.Name, joined.Select(h => h.Name).ToList()));
    }

    private static async Task<IResult> HeartbeatAsync(HttpRequest http, AgentHeartbeat beat, HostStore hosts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var header = http.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        var ok = key.Length > 0 && await hosts.HeartbeatAsync(
            beat.AgentId, key, beat.Url, beat.Hosts.Select(Report).ToList(), clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return ok
            ? Results.NoContent()
            : Results.Problem(title: "Unauthorized", detail: "Unknown agent or wrong key; join again.", statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
    }

    private static HostStore.HostReport Report(Drivers.Hosts.HostFacts f) =>
        new(f.Name, Views.RolesFlags(f.Roles), f.Cpus, f.MemoryMb, f.DiskMb, f.Kvm, f.Address, f.Driver, f.WanAddress);

    private static List<Problem> Check(string? agentId, string? key, string? url, IReadOnlyList<string> hostNames)
    {
        var problems = new List<Problem>();
        if (string.IsNullOrEmpty(agentId) || !NamePattern().IsMatch(agentId))
        {
            problems.Add(new Problem("agentId", "must be letters, digits and '-', at most 63 characters"));
        }

        if (string.IsNullOrEmpty(key) || key.Length < 16 || key.Length > 256)
        {
            problems.Add(new Problem("agentKey", "must be 16 to 256 characters"));
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problems.Add(new Problem("url", "must be the agent's http:// or https:// URL"));
        }

        if (hostNames.Count == 0)
        {
            problems.Add(new Problem("hosts", "must list at least one host"));
        }

        for (var i = 0; i < hostNames.Count; i++)
        {
            if (!NamePattern().IsMatch(hostNames[i] ?? ""))
            {
                problems.Add(new Problem($"hosts[{i}].name", "must be letters, digits and '-', at most 63 characters"));
            }
        }

        return problems;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")]
    private static partial Regex NamePattern();
}
