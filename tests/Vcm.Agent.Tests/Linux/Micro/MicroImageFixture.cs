using System.Diagnostics;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>
/// One micro image, built once for the tests that need it, from packages cached under artifacts/cache/micro (so
/// later runs download nothing). Built lazily: a test skipped on this machine never triggers a build.
/// </summary>
public sealed class MicroImageFixture : IDisposable
{
    public static readonly string[] BuildPrograms = ["apt-get", "apt-cache", "dpkg-deb"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TempDirectory _output = new("vcm-micro-image");
    private MicroImageManifest? _manifest;

    public static string CacheDirectory => Path.Combine(RepoPaths.Root, "artifacts", "cache", "micro");

    public string Directory => _output.Combine("micro");

    public TimeSpan BuildTime { get; private set; }

    public string Kernel => Path.Combine(Directory, MicroImageBuilder.KernelFile);

    public string Initrd => Path.Combine(Directory, MicroImageBuilder.InitrdFile);

    public async Task<MicroImageManifest> BuildAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_manifest is null)
            {
                var started = Stopwatch.GetTimestamp();
                _manifest = await Builder(CacheDirectory).BuildAsync(Directory, cancellationToken);
                BuildTime = Stopwatch.GetElapsedTime(started);
            }

            return _manifest;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static MicroImageBuilder Builder(string cache) => new(new MicroImageOptions { CacheDirectory = cache }, ProcessRunner.Instance);

    public void Dispose()
    {
        _output.Dispose();
        _gate.Dispose();
    }
}
