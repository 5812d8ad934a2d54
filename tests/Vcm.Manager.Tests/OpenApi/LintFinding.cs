namespace Vcm.Manager.Tests.OpenApi;

/// <summary>One finding of an OpenAPI linter.</summary>
internal sealed record LintFinding(string Severity, string Rule, string Where, string Message)
{
    public override string ToString() => $"{Severity} {Rule} {Where}: {Message}";
}
