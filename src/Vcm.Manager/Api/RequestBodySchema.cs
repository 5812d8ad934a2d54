using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Vcm.Manager.Api;

/// <summary>
/// Endpoint metadata naming the JSON body type of an endpoint that reads its body itself; an OpenAPI operation
/// transformer puts the type's schema in the document.
/// </summary>
public sealed record RequestBodySchema(Type Type)
{
    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodySchema>().FirstOrDefault() is not { } body)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }
}
