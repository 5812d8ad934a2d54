using Vcm.Agent.Sim;
using Vcm.Agent.Tests.Conformance;
using Vcm.Drivers.Hosts;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Sim;

/// <summary>The compute driver conformance suite against a simulated host that keeps its state on disk.</summary>
public sealed class SimComputeDriverConformanceTests : ComputeDriverConformance
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

    protected override Task StopVmOutsideDriverAsync(IHostDrivers host, string name)
    {
        Assert.True(((SimHost)host).KillVm(name), $"no VM {name} to kill");
        return Task.CompletedTask;
    }
}
