using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Domain.Common;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;
using Vcm.Manager.Auth;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;
using Vcm.Manager.Metrics;
using Vcm.Manager.Tls;
using Vcm.Store.Auth;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/agents: how agents join the site (with a join token, or an agent's own key when it comes back) and
/// report (with their own key). Bodies are read by <see cref="JsonBody"/> and checked by
/// <see cref="AgentRequestValidator"/> before anything is written: 400 for a body that is not the request's JSON,
/// 422 listing every problem of its values, 401 for a wrong token or key, 409 for a host another agent holds.
/// </summary>
public static class AgentEndpoints
{
    public static void MapAgents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/agents").WithTags("agents");
        group.MapPost("/join", JoinAsync).WithName("joinSite").Accepts<AgentJoinRequest>("application/json").Produces<AgentJoinResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("An agent joins the site with a join token and reports its hosts.");
        group.MapPost("/heartbeat", HeartbeatAsync).WithName("sendHeartbeat").Accepts<AgentHeartbeat>("application/json").Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("An agent reports that it and its hosts are alive (authenticated by the agent's key).");
    }

    private static async Task<IResult> JoinAsync(
        HttpRequest http, TokenStore tokens, HostStore hosts, LocalSite site, SiteAuthority authority, ManagerOptions options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (request, refusal) = await JsonBody.ReadAsync<AgentJoinRequest>(http, AgentJson.Options, cancellationToken);
        if (request is null)
        {
            return refusal!;
        }

        var problems = AgentRequestValidator.Join(request.AgentId, request.AgentKey, request.Url, request.Hosts).ToList();
        X509Certificate2? certificate = null;
        if (request.Csr is not null && problems.Count == 0)
        {
            // the certificate names the address the manager dials the agent at
            var (issued, csrProblems) = authority.SignRequest(
                request.Csr, "csr", request.AgentId, CertificateRole.Agent, [new Uri(request.Url).Host.Trim('[', ']')], clock.GetUtcNow(), options.CertificateLifetime);
            certificate = issued;
            problems.AddRange(csrProblems);
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The join request is not valid", StatusCodes.Status422UnprocessableEntity);
        }

        // Only a join token lets a new agent in (not the admin token); a known agent comes back with its own key.
        var secret = SiteToken.Parse(request.Token).Secret;
        var kind = secret is { Length: > 0 and <= 512 } ? await tokens.KindOfAsync(secret, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken) : null;
        var knownAgent = (await hosts.GetAgentsAsync([request.AgentId], cancellationToken)).GetValueOrDefault(request.AgentId);
        var rejoining = knownAgent is not null && HostStore.KeysMatch(knownAgent.Key, request.AgentKey);
        if (kind != "join" && !rejoining)
        {
            return Results.Problem(title: "Unauthorized", detail: "The join token is not valid.", statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
        }

        var reports = request.Hosts.Select(Report).ToList();
        var joined = await hosts.JoinAsync(site.Id, request.AgentId, request.AgentKey, request.Url, reports, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        if (joined.Conflicts.Count > 0)
        {
            return Problems.Conflict(
                $"The agent cannot join: {string.Join("; ", joined.Conflicts)}. Nothing was registered.",
                joined.Conflicts.Select(c => new Problem("hosts", c)).ToList());
        }

        return Results.Ok(new AgentJoinResponse(
            site.Name, joined.Hosts.Select(h => h.Name).ToList(), certificate?.ExportCertificatePem(), certificate is null ? null : authority.CertificatePem));
    }

    private static async Task<IResult> HeartbeatAsync(HttpRequest http, HostStore hosts, NodeUsageBook usage, TimeProvider clock, CancellationToken cancellationToken)
    {
        var header = http.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var (beat, refusal) = await JsonBody.ReadAsync<AgentHeartbeat>(http, AgentJson.Options, cancellationToken);
        if (beat is null)
        {
            return refusal!;
        }

        var unauthorized = Results.Problem(
            title: "Unauthorized", detail: "Unknown agent or wrong key; join again.", statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
        var agent = key.Length is > 0 and <= 512 && beat.AgentId is { Length: > 0 } agentId
            ? (await hosts.GetAgentsAsync([agentId], cancellationToken)).GetValueOrDefault(agentId)
            : null;
        if (agent is null || !HostStore.KeysMatch(agent.Key, key))
        {
            return unauthorized;
        }

        var problems = AgentRequestValidator.Agent(beat.AgentId, beat.Url, beat.Hosts);
        if (problems.Count == 0)
        {
            problems.AddRange(AgentRequestValidator.Usage(beat.Vms, beat.Hosts.Select(h => h.Name).ToList()));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The heartbeat is not valid", StatusCodes.Status422UnprocessableEntity);
        }

        var ok = await hosts.HeartbeatAsync(beat.AgentId, key, beat.Url, beat.Hosts.Select(Report).ToList(), clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        if (ok)
        {
            usage.Record(beat.Hosts.Select(h => h.Name), beat.Vms ?? []);
        }

        return ok ? Results.NoContent() : unauthorized;
    }

    private static HostStore.HostReport Report(Drivers.Hosts.HostFacts f) =>
        new(f.Name, Views.RolesFlags(f.Roles), f.Cpus, f.MemoryMb, f.DiskMb, f.Kvm, f.Address, f.Driver,
            (f.WanAddresses ?? []).FirstOrDefault() ?? f.WanAddress, Peers.WanList.Join(f.WanAddresses));
}
