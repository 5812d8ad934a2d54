using Microsoft.OpenApi;

namespace Vcm.Manager.OpenApi;

/// <summary>
/// The one schema every error response names: the RFC 9457 members the manager writes (always type, title, status and
/// detail), the field problems of an invalid request, and the extensions some problems carry.
/// </summary>
public static class ProblemSchema
{
    public const string Name = "Problem";
    public const string FieldProblemName = "FieldProblem";
    public const string MediaType = "application/problem+json";

    public static void AddTo(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[FieldProblemName] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One problem with one field of the request.",
            Required = new HashSet<string> { "field", "message" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["field"] = Text("The field, as a JSON path below the body (`workers`, `files[2].mode`), a query or header name, or empty for the body as a whole."),
                ["message"] = Text("What is wrong with it."),
            },
        };
        document.Components.Schemas[Name] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem: what went wrong, in a title and a detail sentence, with every field problem found.",
            Required = new HashSet<string> { "type", "title", "status", "detail" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI naming the kind of problem; a GET on it describes the problem.", "uri"),
                ["title"] = Text("A short summary of the kind of problem; the same for every occurrence of the type."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
                ["detail"] = Text("A sentence about this occurrence: what was wrong and what to do."),
                ["instance"] = Text("A URI reference naming this occurrence, when the problem has one.", "uri-reference"),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "For an invalid request: every problem found, one per field (not only the first).",
                    Items = new OpenApiSchemaReference(FieldProblemName, document),
                },
                ["earliestStart"] = Text(
                    "For a refusal for capacity: the earliest start at which the same request would fit (absent when none would).", "date-time"),
                ["latestEnd"] = Text(
                    "For an extension refused for capacity: the latest end the calendar has room for (the current end when it has none).", "date-time"),
                ["largestWorkers"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer, Format = "int32", Description = "For a resize refused for capacity: the largest worker count the calendar has room for.",
                },
                ["site"] = Text("For a peer site's failure: the site."),
                ["tenant"] = Text("For a request over its tenant's quota: the tenant."),
                ["quotas"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "For a request over its tenant's quota: each quota exceeded.",
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "quota", "limit", "used", "asked", "when" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["quota"] = Text("nodes, vcpus, memory, shared or node-hours."),
                            ["limit"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "The quota (sizes in MiB)." },
                            ["used"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "What the tenant holds at the worst moment of the window, or in the month (node-hours)." },
                            ["asked"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "What the request asks for." },
                            ["when"] = Text("The moment, or the month, the quota is exceeded."),
                        },
                    },
                },
                ["refused"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "For a series not admitted: each occurrence that does not fit, with its local date and why.",
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "date", "start", "cluster", "reason" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["date"] = Text("The local date of the occurrence's start.", "date"),
                            ["start"] = Text("The occurrence's start.", "date-time"),
                            ["cluster"] = Text("The name its cluster would have had."),
                            ["reason"] = Text("Why it does not fit: capacity, a name taken, the tenant's quota."),
                        },
                    },
                },
                ["traceId"] = Text("The request's trace id, under which the manager logs what happened."),
            },
        };
    }

    public static OpenApiSchemaReference Reference(OpenApiDocument? document) => new(Name, document);

    private static OpenApiSchema Text(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Format = format, Description = description };
}
