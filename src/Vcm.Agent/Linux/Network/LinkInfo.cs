using System.Text.Json;

namespace Vcm.Agent.Linux.Network;

/// <summary>What <c>ip -j -d link show</c> says of one link: enough to converge vcm's bridges, VXLANs and veths.</summary>
internal sealed record LinkInfo(string Name, string Kind, string? Master, int Mtu, bool Up, long? Vni, int? Port, string? Local, string? Alias)
{
    public bool IsBridge => Kind == "bridge";

    public bool IsVxlan => Kind == "vxlan";

    public bool IsVeth => Kind == "veth";

    /// <summary>Parses the JSON array <c>ip -j -d link show</c> prints (empty output: no links).</summary>
    public static IReadOnlyList<LinkInfo> ParseAll(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(Parse).ToList();
    }

    private static LinkInfo Parse(JsonElement link)
    {
        var kind = "";
        long? vni = null;
        int? port = null;
        string? local = null;
        if (link.TryGetProperty("linkinfo", out var info))
        {
            kind = info.TryGetProperty("info_kind", out var k) ? k.GetString() ?? "" : "";
            if (info.TryGetProperty("info_data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                vni = data.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : null;
                port = data.TryGetProperty("port", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null;
                local = data.TryGetProperty("local", out var l) ? l.GetString() : null;
            }
        }

        var flags = link.TryGetProperty("flags", out var f) ? f.EnumerateArray().Select(x => x.GetString()).ToList() : [];
        return new LinkInfo(
            link.GetProperty("ifname").GetString() ?? "",
            kind,
            link.TryGetProperty("master", out var master) ? master.GetString() : null,
            link.TryGetProperty("mtu", out var mtu) ? mtu.GetInt32() : 0,
            flags.Contains("UP"),
            vni,
            port,
            local,
            link.TryGetProperty("ifalias", out var alias) ? alias.GetString() : null);
    }
}
