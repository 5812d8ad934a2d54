namespace Vcm.Agent.Tests.Conformance;

/// <summary>The suite runs only where <see cref="Variable"/> is set to a non-empty value (an opt-in for real drivers).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class RequiresEnvironmentAttribute(string variable) : HostRequirementAttribute
{
    public string Variable { get; } = variable;

    public override string? Unmet() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) ? $"set {Variable} to run this suite" : null;
}
