using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Vcm.Manager.OpenApi;

/// <summary>
/// Shapes one document: its title and description, the security schemes its operations name, the shared problem
/// schema (in place of the framework's ProblemDetails) and a description for each tag.
/// </summary>
public sealed class DocumentShape(ApiDocument api)
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["clusters"] = "Virtual clusters: reserve one for a window, watch it, release it.",
        ["nodes"] = "A cluster's nodes: the serial console, and where to reach them by SSH.",
        ["hosts"] = "The site's hosts, and join tokens for new ones.",
        ["sites"] = "This site and its peers, with their VNI ranges.",
        ["peers"] = "The sites this one federates with.",
        ["images"] = "The site's image store: base images and package-set layers.",
        ["health"] = "Whether the manager is up.",
        ["metrics"] = "The manager's metrics, for Prometheus.",
        ["problems"] = "What each problem type of the API's errors means.",
        ["agents"] = "How agents join the site and report.",
        ["packages"] = "The site's package cache, as an apt repository.",
        ["federation"] = "Calls between peer sites' managers.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = api.Title,
            Version = "v1",
            Description = api.Description,
        };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/'); // the site's URL, without the slash the generator appends
        }

        document.Components ??= new OpenApiComponents();
        var used = ApiDocuments.Rules.Where(r => r.Document == api.Name).SelectMany(r => r.Security).SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
        document.Components.SecuritySchemes = SecuritySchemes.All.Where(s => used.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value);
        ProblemSchema.AddTo(document);
        document.Components.Schemas?.Remove("ProblemDetails");
        document.Components.Schemas?.Remove("HttpValidationProblemDetails");
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "", tag.Name ?? "");
        }

        return Task.CompletedTask;
    }
}
