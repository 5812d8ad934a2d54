using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vcm.Agent.Linux.Images;
using Vcm.Drivers.Images;
using Vcm.Drivers.Rpc;

namespace Vcm.Testing.Lab;

/// <summary>
/// A host agent of a running `vcm up --lab`, reached the way the manager reaches it: its management address and the
/// key it keeps in its data folder. For tests and benchmarks that drive one step on lab hosts directly.
/// </summary>
public sealed record LabAgent(string Host, string Url, string Key, string DataFolder)
{
    /// <summary>The agent of <paramref name="host"/> (site letter + number) in the lab whose `--data` is <paramref name="labData"/>.</summary>
    public static LabAgent Read(string labData, string host)
    {
        var folder = Path.Combine(labData, "lab", "hosts", host);
        using var identity = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "agent.json")));
        var mgmt = 254 - (host[0] - 'a');
        var url = $"https://192.168.{mgmt}.{10 + int.Parse(host[1..], CultureInfo.InvariantCulture)}:9700";
        return new LabAgent(host, url, identity.RootElement.GetProperty("key").GetString()!, folder);
    }

    /// <summary>A client of the site's own (the agent's certificate, its CA trusted), as the manager and other hosts call it.</summary>
    public HttpClient Client(TimeSpan timeout) => Vcm.Agent.Hosting.AgentTls.Load(DataFolder).Client(timeout);

    /// <summary>The host's cached copy of an image's file (of the image's current version there).</summary>
    public string CachedFile(string image, string file) =>
        Path.Combine(new ImageCache(Path.Combine(DataFolder, "images")).Current(image) ?? Path.Combine(DataFolder, "images", image + "@none"), file);

    /// <summary>This host as the source of the next host in a chain.</summary>
    public ImagePeer AsPeer => new(Host, Url, ImageReadToken.For(Key));

    /// <summary>Applies one step on this host through its RPC and returns its result; a failed step throws.</summary>
    public async Task<StepResult> ApplyAsync(HostStep step, CancellationToken cancellationToken)
    {
        using var http = Client(Timeout.InfiniteTimeSpan);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + AgentPaths.Apply)
        {
            Content = JsonContent.Create(new ApplyRequest([new HostWork(Host, [step])]), options: AgentJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var result = (await response.Content.ReadFromJsonAsync<ApplyResponse>(AgentJson.Options, cancellationToken))!.Hosts.Single().Results.Single();
        return result.Succeeded ? result : throw new InvalidOperationException($"{Host}: {result.Error}");
    }
}
