using Vcm.Drivers.Rpc;

namespace Vcm.Manager.Controllers;

/// <summary>A step that failed on a host.</summary>
public sealed record StepFailure(string Host, StepResult Result)
{
    public static IReadOnlyList<StepFailure> In(IEnumerable<HostWorkResult> results) =>
        results.SelectMany(h => h.Results.Where(r => r.Outcome == StepOutcome.Failed).Select(r => new StepFailure(h.Host, r))).ToList();

    public static string Describe(IReadOnlyList<StepFailure> failures)
    {
        var first = failures[0];
        var text = $"{first.Host}: {first.Result.Kind} {first.Result.Target}: {first.Result.Error}";
        return failures.Count == 1 ? text : $"{text} (and {failures.Count - 1} more failed steps)";
    }
}
