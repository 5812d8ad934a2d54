using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;

namespace Vcm.Manager.Api;

/// <summary>
/// Reads a cluster request body field by field, so that every problem is reported — unknown fields, wrong types,
/// repeated fields — instead of the first error a serializer meets.
/// </summary>
public static class ClusterRequestReader
{
    public const int MaxBodyBytes = 1 << 20;

    private static readonly string[] Fields =
    [
        "name", "workers", "head", "cpus", "memory", "disk", "shared", "image", "packages", "sshKeys",
        "start", "end", "duration", "sites", "policy", "subnet", "wanRate",
    ];

    public static async Task<(ClusterSpecInput Input, IReadOnlyList<Problem> Problems)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (new ClusterSpecInput(), [new Problem("", $"the body is larger than {MaxBodyBytes / 1024} KiB")]);
            }
        }

        return Read(buffer.ToArray());
    }

    public static (ClusterSpecInput Input, IReadOnlyList<Problem> Problems) Read(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (new ClusterSpecInput(), [new Problem("", body.Length == 0 ? "the body is empty; send a JSON object" : $"the body is not valid JSON{where}")]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (new ClusterSpecInput(), [new Problem("", "the body must be a JSON object")]);
            }

            var problems = new List<Problem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var name = property.Name;
                if (!Fields.Contains(name))
                {
                    problems.Add(new Problem(Shorten(name), "is not a known field"));
                    continue;
                }

                if (!seen.Add(name))
                {
                    problems.Add(new Problem(name, "appears more than once"));
                    continue;
                }

                values[name] = property.Value.Clone();
            }

            var input = new ClusterSpecInput
            {
                Name = Text(values, "name", problems),
                Workers = Integer(values, "workers", problems),
                Head = Boolean(values, "head", problems),
                Cpus = Integer(values, "cpus", problems),
                Memory = Text(values, "memory", problems),
                Disk = Text(values, "disk", problems),
                Shared = Text(values, "shared", problems),
                Image = Text(values, "image", problems),
                Packages = TextList(values, "packages", problems),
                SshKeys = TextList(values, "sshKeys", problems),
                Start = Text(values, "start", problems),
                End = Text(values, "end", problems),
                Duration = Text(values, "duration", problems),
                Sites = TextList(values, "sites", problems),
                Policy = Text(values, "policy", problems),
                Subnet = Text(values, "subnet", problems),
                WanRate = Text(values, "wanRate", problems),
            };
            return (input, problems);
        }
    }

    private static string? Text(Dictionary<string, JsonElement> values, string field, List<Problem> problems)
    {
        if (!values.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new Problem(field, $"must be a string, not {Kind(value)}"));
            return null;
        }

        return value.GetString();
    }

    private static long? Integer(Dictionary<string, JsonElement> values, string field, List<Problem> problems)
    {
        if (!values.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            problems.Add(new Problem(field, $"must be a whole number, not {Kind(value)}"));
            return null;
        }

        if (!value.TryGetInt64(out var number))
        {
            problems.Add(new Problem(field, $"must be a whole number; {Shorten(value.GetRawText())} is not"));
            return null;
        }

        return number;
    }

    private static bool? Boolean(Dictionary<string, JsonElement> values, string field, List<Problem> problems)
    {
        if (!values.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add(new Problem(field, $"must be true or false, not {Kind(value)}"));
            return null;
        }

        return value.GetBoolean();
    }

    private static IReadOnlyList<string>? TextList(Dictionary<string, JsonElement> values, string field, List<Problem> problems)
    {
        if (!values.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new Problem(field, $"must be a list of strings, not {Kind(value)}"));
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                problems.Add(new Problem($"{field}[{i}]", $"must be a string, not {Kind(item)}"));
            }
            else
            {
                list.Add(item.GetString()!);
            }

            i++;
        }

        return list;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..61] + "...";
}
