namespace Vcm.Manager.OpenApi;

/// <summary>One OpenAPI document of the manager: its name (in /openapi/NAME.json), title and description.</summary>
public sealed record ApiDocument(string Name, string Title, string Description);
