using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>One `vcm up --sim 3` process shared by the tests of a class (each test uses its own cluster names).</summary>
public sealed class UpFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vcm-e2e-up");

    public VcmProcess Up { get; private set; } = null!;

    public VcmCli Cli { get; private set; } = null!;

    public async Task InitializeAsync() => (Up, Cli) = await SimUp.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await Up.DisposeAsync();
        _data.Dispose();
    }
}
