namespace Vcm.Manager.Http;

/// <summary>A problem type as GET /problems/{slug} answers it in JSON.</summary>
public sealed record ProblemTypeView(string Type, string Title, int? Status, string Description);
