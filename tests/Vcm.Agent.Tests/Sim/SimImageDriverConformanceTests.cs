using Vcm.Agent.Sim;
using Vcm.Agent.Tests.Conformance;
using Vcm.Drivers.Hosts;
using Vcm.Testing;

namespace Vcm.Agent.Tests.Sim;

/// <summary>The image driver conformance suite against a simulated host that keeps its state on disk.</summary>
public sealed class SimImageDriverConformanceTests : ImageDriverConformance
{
    private TempDirectory? _state;

    protected override Task<IHostDrivers> CreateHostAsync()
    {
        _state = new TempDirectory("vcm-sim-conformance");
        return Task.FromResult<IHostDrivers>(SimTestHosts.Create(new SimOptions { StateDirectory = _state.Path }));
    }

    protected override Task DisposeHostAsync(IHostDrivers host)
    {
        _state?.Dispose();
        return Task.CompletedTask;
    }
}
