namespace Vcm.Api;

/// <summary>The server answered with a problem.</summary>
public sealed class VcmApiException(int status, ProblemView problem)
    : Exception(Sentence(status, problem))
{
    public int Status { get; } = status;

    public ProblemView Problem { get; } = problem;

    private static string Sentence(int status, ProblemView problem)
    {
        if (problem.Errors is { Count: > 0 } errors)
        {
            var list = string.Join("; ", errors.Select(e => e.Field.Length == 0 ? e.Message : $"{e.Field} {e.Message}"));
            return $"{problem.Title ?? "The request was refused"}: {list}.";
        }

        var detail = problem.Detail ?? problem.Title ?? $"the server answered {status}";
        return detail.EndsWith('.') ? detail : detail + ".";
    }
}
