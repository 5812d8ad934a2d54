using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Vcm.Manager.Http;

namespace Vcm.Manager.OpenApi;

/// <summary>
/// Shapes one operation: the security requirement of its route (<see cref="ApiDocuments.Rules"/>), the error statuses
/// the framework answers for it (401 without a valid token; 400 for a value or body it cannot bind; 413 and 415 for
/// a body too large or of another content type), and the shared problem schema on every error response.
/// The statuses its handler answers are listed where it is mapped (ProducesProblem).
/// </summary>
public static class OperationShape
{
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var rule = ApiDocuments.RuleFor(description.RelativePath ?? "", description.HttpMethod)
            ?? throw new InvalidOperationException($"no rule of ApiDocuments covers the route {description.RelativePath}");
        var document = context.Document;
        operation.Security = rule.IsPublic
            ? [new OpenApiSecurityRequirement()]
            : rule.Security.Select(schemes => Requirement(schemes, document)).ToList();

        operation.Responses ??= [];
        foreach (var status in FrameworkStatuses(description, rule))
        {
            operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse());
        }

        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (int.TryParse(status, out var code) && code >= 400)
            {
                operation.Responses[status] = ProblemResponse(code, response.Description, document);
            }
        }

        var sorted = new OpenApiResponses();
        foreach (var (status, response) in operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sorted[status] = response;
        }

        operation.Responses = sorted;
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(IReadOnlyList<string> schemes, OpenApiDocument? document)
    {
        var requirement = new OpenApiSecurityRequirement();
        foreach (var scheme in schemes)
        {
            requirement[new OpenApiSecuritySchemeReference(scheme, document)] = [];
        }

        return requirement;
    }

    /// <summary>The error statuses the framework answers for an operation before (or instead of) its handler.</summary>
    private static IEnumerable<int> FrameworkStatuses(ApiDescription description, RouteRule rule)
    {
        if (!rule.IsPublic)
        {
            yield return StatusCodes.Status401Unauthorized;
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var readsOwnBody = metadata.OfType<Api.RequestBodySchema>().Any();
        var bindsBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body)
            || metadata.OfType<IAcceptsMetadata>().Any(a => a.ContentTypes.Count > 0);
        var bindsValues = description.ParameterDescriptions.Any(p =>
            (p.Source == BindingSource.Query || p.Source == BindingSource.Path || p.Source == BindingSource.Header)
            && (Nullable.GetUnderlyingType(p.Type) ?? p.Type) != typeof(string));
        if (bindsBody || readsOwnBody || bindsValues)
        {
            yield return StatusCodes.Status400BadRequest; // a value or body it cannot bind
        }

        if (bindsBody || readsOwnBody)
        {
            yield return StatusCodes.Status413PayloadTooLarge;
        }

        if (bindsBody && !readsOwnBody)
        {
            yield return StatusCodes.Status415UnsupportedMediaType; // only a body the framework reads as JSON
        }
    }

    /// <summary>An error response: the problem schema as application/problem+json, described by its problem type's title.</summary>
    private static OpenApiResponse ProblemResponse(int status, string? description, OpenApiDocument? document) => new()
    {
        Description = string.IsNullOrWhiteSpace(description) || description == ReasonPhrases(status)
            ? ProblemTypes.ForStatus(status).Title
            : description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemSchema.MediaType] = new() { Schema = ProblemSchema.Reference(document) },
        },
    };

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
