using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vcm.Agent.Metadata;

/// <summary>How a gateway's files (nodes.json, phone-home/NODE.json) are written: camelCase, indented.</summary>
public static class MetadataJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // files, never HTML: keep user scripts and keys readable
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
