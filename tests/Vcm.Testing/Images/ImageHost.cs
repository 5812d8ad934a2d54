using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Hosting;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Images;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Storage;

namespace Vcm.Testing.Images;

/// <summary>
/// A host that only keeps images: its own folder, the real <see cref="QcowImageDriver"/>, and the real agent server
/// on loopback (so other hosts copy from it over HTTP with its image read token).
/// </summary>
public sealed class ImageHost : IHostDrivers, IAsyncDisposable
{
    private readonly string _key;
    private WebApplication? _agent;

    private ImageHost(string name, TempDirectory data, QcowImageDriver driver, string key)
    {
        Facts = new HostFacts { Name = name, Cpus = 1, MemoryMb = 1024, DiskMb = 1024, Driver = "linux" };
        Data = data;
        Driver = driver;
        _key = key;
    }

    public HostFacts Facts { get; }

    public TempDirectory Data { get; }

    public QcowImageDriver Driver { get; }

    /// <summary>FILE of the image's current version on this host (a path that does not exist when the host has none).</summary>
    public string ImagePath(string image, string file) =>
        Path.Combine(new ImageCache(new HostPaths(Data.Path).Images).Current(image) ?? Path.Combine(ImagesFolder, image + "@none"), file);

    public string ImagesFolder => Path.Combine(Data.Path, "images");

    /// <summary>How the next host in a chain copies from this one.</summary>
    public ImagePeer AsPeer => new(Facts.Name, AgentServer.ListeningUrl(_agent!), ImageReadToken.For(_key));

    public IComputeDriver Compute => throw new NotSupportedException("an image host runs no VMs");

    public INetworkDriver Network => throw new NotSupportedException("an image host has no networks");

    public IStorageDriver Storage => throw new NotSupportedException("an image host has no volumes");

    public IImageDriver Images => Driver;

    public static async Task<ImageHost> StartAsync(string name, string imageStore, ImageTransferOptions transfer, HttpClient? http = null)
    {
        var data = new TempDirectory("vct-" + name);
        var context = new LinuxHostContext
        {
            HostName = name,
            DataDirectory = data.Path,
            UnderlayAddress = "127.0.0.1",
            VcmExecutable = "vcm",
            ImageStore = imageStore,
            ImageTransfer = transfer,
        };
        var options = new AgentOptions { DataDirectory = Path.Combine(data.Path, "agent") };
        var host = new ImageHost(name, data, new QcowImageDriver(context, http), AgentIdentity.LoadOrCreate(options.DataDirectory).Key);
        host._agent = AgentServer.Build(options, new AgentHosts([host]), logging => logging.SetMinimumLevel(LogLevel.Warning));
        await host._agent.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
            await _agent.DisposeAsync();
        }

        Data.Dispose();
    }
}
