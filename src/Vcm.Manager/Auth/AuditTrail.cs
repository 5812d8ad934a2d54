using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Common;
using Vcm.Store.Audit;
using Vcm.Store.Records;

namespace Vcm.Manager.Auth;

/// <summary>
/// Writes the audit trail for <see cref="AccessMiddleware"/>: every call that creates, changes or deletes (but agents'
/// heartbeats), every refused sign-in or refused call, and every whoami (what `vcm login` signs in with) — who, what,
/// which resource, when, from which address, and the status it ended with.
/// </summary>
public sealed partial class AuditTrail(AuditStore store, TimeProvider clock, ILogger<AuditTrail> logger)
{
    /// <summary>Whether a call that got through is audited.</summary>
    public static bool Audits(string method, string route) =>
        route switch
        {
            "POST /api/v1/agents/heartbeat" => false,
            "GET /api/v1/whoami" => true,
            _ => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !HttpMethods.IsOptions(method),
        };

    public async Task RecordAsync(HttpContext context, Caller? caller, string action, int status, string? detail)
    {
        var location = context.Response.Headers.Location.ToString();
        var record = new AuditRecord
        {
            Id = Ids.New(),
            AtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = caller?.Name ?? "-",
            ActorKind = caller is null ? "anonymous" : caller.Kind.ToString().ToLowerInvariant(),
            TenantId = caller?.TenantId,
            Action = action,
            Resource = status == StatusCodes.Status201Created && location.Length > 0 ? location : context.Request.Path.Value,
            Address = context.Connection.RemoteIpAddress?.ToString(),
            Status = status,
            Detail = detail,
        };
        try
        {
            await store.AppendAsync(record, CancellationToken.None); // the call is done: its record is written even if the caller hung up
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogNotWritten(logger, e, record.Actor, record.Action, record.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "could not write the audit record of {Actor} {Action} ({Status})")]
    private static partial void LogNotWritten(ILogger logger, Exception exception, string actor, string action, int status);
}
