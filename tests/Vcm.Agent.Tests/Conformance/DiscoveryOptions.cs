using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Conformance;

/// <summary>Discovery options with nothing set, for calling a test case discoverer by hand.</summary>
public sealed class DiscoveryOptions : ITestFrameworkDiscoveryOptions
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

    public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
}
