using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vcm.Domain.Common;
using Vcm.Manager.Http;

namespace Vcm.Manager.Api;

/// <summary>
/// Reads a JSON body into a type, turning every way it can fail — not JSON, wrong types, text that is not valid
/// Unicode, a body over the server's limit — into a problem result (400 or 413) instead of an exception.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Refusal)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return value is null
                ? (null, Problems.Invalid([new Problem("", "the body must be a JSON object, not null")]))
                : (value, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } path ? $" at {path}" : "";
            return (null, Problems.Invalid([new Problem("", $"the body is not valid JSON of the expected shape{where}: {Reason(e)}")]));
        }
        catch (InvalidOperationException)
        {
            // a string the reader cannot turn into text: a lone UTF-16 surrogate, or bytes that are not UTF-8
            return (null, Problems.Invalid([new Problem("", "the body holds a string that is not valid Unicode text")]));
        }
        catch (BadHttpRequestException e)
        {
            return (null, TooLargeOr(e));
        }
    }

    /// <summary>The problem for a body Kestrel refused while it was read: 413 when over the size limit, else 400.</summary>
    public static IResult TooLargeOr(BadHttpRequestException e) =>
        e.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? Problems.Invalid([new Problem("", "the body is larger than the server accepts")], "The request body is too large", StatusCodes.Status413PayloadTooLarge)
            : Problems.Invalid([new Problem("", "the body could not be read: " + e.Message)]);

    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.');
    }
}
