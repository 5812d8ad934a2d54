using System.Text.Json;
using Vcm.Api;

namespace Vcm.Cli.Lab;

/// <summary>
/// What a lab made, kept in DATA/lab/lab.json from the moment it starts making it, so that `vcm down` can take it
/// all away even when the `vcm up` that made it was killed.
/// </summary>
public sealed record LabState(LabPlan Plan, string DataDirectory, IReadOnlyDictionary<string, int> AgentPids)
{
    public static string FileFor(string dataDirectory) => Path.Combine(dataDirectory, "lab", "lab.json");

    public string HostData(string host) => Path.Combine(DataDirectory, "lab", "hosts", host);

    /// <summary>The folder of a site's manager other than site a's (whose folder is the lab's data folder itself).</summary>
    public string SiteData(LabSite site) => Path.Combine(DataDirectory, "lab", $"site-{site.Name}");

    public static LabState? Load(string dataDirectory)
    {
        var file = FileFor(dataDirectory);
        return File.Exists(file) ? JsonSerializer.Deserialize<LabState>(File.ReadAllText(file), ApiJson.Options) : null;
    }

    public void Save()
    {
        var file = FileFor(DataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file + ".tmp", JsonSerializer.Serialize(this, ApiJson.Indented));
        File.Move(file + ".tmp", file, overwrite: true);
    }

    public void Delete() => Directory.Delete(Path.Combine(DataDirectory, "lab"), recursive: true);
}
