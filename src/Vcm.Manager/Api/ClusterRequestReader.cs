using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Vcm.Api;
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

    /// <summary>A request's fields: the JSON properties of <typeparamref name="T"/> (a cluster's, or a series' with its rule), whatever it holds.</summary>
    private static class Contract<T>
        where T : ClusterSpecInput, new()
    {
        public static readonly JsonTypeInfo Info = ApiJson.Options.GetTypeInfo(typeof(T));

        public static readonly Dictionary<string, JsonPropertyInfo> Fields = Info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The request's fields and every problem of its body; <c>TooLarge</c> when the body is over <see cref="MaxBodyBytes"/>
    /// (or over the server's own limit), which is answered 413.</summary>
    public static Task<(ClusterSpecInput Input, IReadOnlyList<Problem> Problems, bool TooLarge)> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync<ClusterSpecInput>(request, cancellationToken);

    /// <summary>As <see cref="ReadAsync(HttpRequest, CancellationToken)"/>, for a request of type <typeparamref name="T"/> (a series' request).</summary>
    public static async Task<(T Input, IReadOnlyList<Problem> Problems, bool TooLarge)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : ClusterSpecInput, new()
    {
        var tooLarge = (new T(), (IReadOnlyList<Problem>)[new Problem("", $"the body is larger than {MaxBodyBytes / 1024} KiB")], true);
        if (request.ContentLength > MaxBodyBytes)
        {
            return tooLarge;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return tooLarge;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }

        var (input, problems) = Read<T>(buffer.ToArray());
        return (input, problems, false);
    }

    public static (ClusterSpecInput Input, IReadOnlyList<Problem> Problems) Read(byte[] body) => Read<ClusterSpecInput>(body);

    public static (T Input, IReadOnlyList<Problem> Problems) Read<T>(byte[] body)
        where T : ClusterSpecInput, new()
    {
        try
        {
            StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException e)
        {
            return (new T(), [new Problem("", $"the body is not valid UTF-8 text (byte {e.Index + 1} is not)")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (new T(), [new Problem("", body.Length == 0 ? "the body is empty; send a JSON object" : $"the body is not valid JSON{where}")]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (new T(), [new Problem("", "the body must be a JSON object")]);
            }

            var problems = new List<Problem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var input = (T)Contract<T>.Info.CreateObject!();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!TryName(property, out var name))
                {
                    problems.Add(new Problem("", "a field's name is not valid Unicode text"));
                    continue;
                }

                if (!Contract<T>.Fields.TryGetValue(name, out var field))
                {
                    problems.Add(new Problem(Shorten(name), "is not a known field"));
                    continue;
                }

                if (!seen.Add(name))
                {
                    problems.Add(new Problem(name, "appears more than once"));
                    continue;
                }

                field.Set!(input, Value(field.PropertyType, name, property.Value, problems));
            }

            return (input, problems);
        }
    }

    /// <summary>A field's value by the type the request declares for it; null (and a problem) when it has the wrong kind.</summary>
    private static object? Value(Type type, string field, JsonElement value, List<Problem> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (type == typeof(string))
        {
            return Text(value, field, problems);
        }

        if (type == typeof(long?))
        {
            return Integer(value, field, problems);
        }

        if (type == typeof(bool?))
        {
            return Boolean(value, field, problems);
        }

        if (type == typeof(IReadOnlyList<string>))
        {
            return TextList(value, field, problems);
        }

        if (type == typeof(IReadOnlyList<ClusterFileInput>))
        {
            return FileList(value, field, problems);
        }

        throw new InvalidOperationException($"the request field {field} has a type ({type.Name}) the reader does not know");
    }

    /// <summary>A list of files: objects with the string fields path, mode and content, nothing else.</summary>
    private static List<ClusterFileInput>? FileList(JsonElement value, string field, List<Problem> problems)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new Problem(field, $"must be a list of files, not {Kind(value)}"));
            return null;
        }

        var files = new List<ClusterFileInput>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new Problem(at, $"must be an object with path, mode and content, not {Kind(item)}"));
                files.Add(null!); // keeps the next files' positions; the parser names it too, under the same field
                continue;
            }

            string? path = null, mode = null, content = null;
            foreach (var property in item.EnumerateObject())
            {
                if (!TryName(property, out var name))
                {
                    problems.Add(new Problem(at, "a field's name is not valid Unicode text"));
                    continue;
                }

                switch (name)
                {
                    case "path":
                        path = property.Value.ValueKind == JsonValueKind.Null ? null : Text(property.Value, $"{at}.path", problems);
                        break;
                    case "mode":
                        mode = property.Value.ValueKind == JsonValueKind.Null ? null : Text(property.Value, $"{at}.mode", problems);
                        break;
                    case "content":
                        content = property.Value.ValueKind == JsonValueKind.Null ? null : Text(property.Value, $"{at}.content", problems);
                        break;
                    default:
                        problems.Add(new Problem($"{at}.{Shorten(name)}", "is not a known field"));
                        break;
                }
            }

            files.Add(new ClusterFileInput { Path = path, Mode = mode, Content = content });
        }

        return files;
    }

    private static string? Text(JsonElement value, string field, List<Problem> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new Problem(field, $"must be a string, not {Kind(value)}"));
            return null;
        }

        if (!TryString(value, out var text))
        {
            problems.Add(new Problem(field, NotUnicode));
            return null;
        }

        return text;
    }

    private const string NotUnicode = "is not valid Unicode text (it holds a lone UTF-16 surrogate)";

    /// <summary>A string's text; false when it cannot be text: an escaped lone UTF-16 surrogate such as \ud800.</summary>
    private static bool TryString(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static long? Integer(JsonElement value, string field, List<Problem> problems)
    {
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

    private static bool? Boolean(JsonElement value, string field, List<Problem> problems)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add(new Problem(field, $"must be true or false, not {Kind(value)}"));
            return null;
        }

        return value.GetBoolean();
    }

    private static IReadOnlyList<string>? TextList(JsonElement value, string field, List<Problem> problems)
    {
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
            else if (!TryString(item, out var text))
            {
                problems.Add(new Problem($"{field}[{i}]", NotUnicode));
            }
            else
            {
                list.Add(text!);
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
