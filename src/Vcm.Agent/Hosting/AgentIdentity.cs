using System.Security.Cryptography;
using System.Text.Json;
using Vcm.Drivers.Rpc;

namespace Vcm.Agent.Hosting;

/// <summary>The agent's id and secret key, made once and kept in its data folder (mode 0600).</summary>
public sealed record AgentIdentity(string Id, string Key)
{
    public static AgentIdentity LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var file = Path.Combine(dataDirectory, "agent.json");
        if (File.Exists(file))
        {
            var loaded = JsonSerializer.Deserialize<AgentIdentity>(File.ReadAllText(file), AgentJson.Options);
            if (loaded is not null)
            {
                return loaded;
            }
        }

        var identity = new AgentIdentity(
            "agent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        var temp = file + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, identity, AgentJson.Options);
        }

        File.Move(temp, file, overwrite: true);
        return identity;
    }
}
