using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/keys: the caller's own SSH public keys, which the clusters it creates carry.</summary>
public static class KeyEndpoints
{
    public static void MapKeys(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/keys").WithTags("keys");
        group.MapGet("/", ListAsync).WithName("listKeys").Produces<IReadOnlyList<UserKeyView>>().WithSummary("The caller's SSH public keys.");
        group.MapPost("/", AddAsync).WithName("addKey").Produces<UserKeyView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Registers one of the caller's SSH public keys.");
        group.MapDelete("/{key}", RemoveAsync).WithName("removeKey").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Removes one of the caller's keys, by name or fingerprint.");
    }

    private static async Task<IResult> ListAsync(Caller caller, TenancyStore tenancy, CancellationToken cancellationToken) =>
        Results.Ok((await tenancy.ListKeysAsync(caller.Id, cancellationToken)).Select(TenancyViews.Key).ToList());

    private static async Task<IResult> AddAsync(KeyAddRequest? request, Caller caller, TenancyStore tenancy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var keys = SshPublicKey.ParseAll(request?.PublicKey is null ? [] : [request.PublicKey], "publicKey", problems);
        if (request?.PublicKey is null)
        {
            problems.Add(new Problem("publicKey", "is required: one OpenSSH public key line"));
        }

        if (request?.Name is not null && !AccountName.IsValid(request.Name))
        {
            problems.Add(new Problem("name", AccountName.Rule));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems.Select(p => p.Field == "publicKey[0]" ? p with { Field = "publicKey" } : p).ToList(), "The key is not valid");
        }

        var key = await tenancy.AddKeyAsync(caller.Id, request!.Name, keys[0], clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        return key is null
            ? Problems.Conflict("You have registered this key, or a key of that name, already.")
            : Results.Created($"/api/v1/keys/{key.Name}", TenancyViews.Key(key));
    }

    private static async Task<IResult> RemoveAsync(string key, Caller caller, TenancyStore tenancy, CancellationToken cancellationToken) =>
        await tenancy.RemoveKeyAsync(caller.Id, key, cancellationToken)
            ? Results.NoContent()
            : Problems.NotFound($"A key '{key}' of yours");
}
