namespace Vcm.Agent.Tests.Conformance;

/// <summary>
/// Something a conformance suite's host needs (root, a program, an opt-in variable). Put on a concrete suite class;
/// while <see cref="Unmet"/> answers a reason, the suite's tests are reported as skipped instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public abstract class HostRequirementAttribute : Attribute
{
    /// <summary>Why the requirement is not met on this machine, or null when it is.</summary>
    public abstract string? Unmet();
}
