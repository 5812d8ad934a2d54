using System.Collections.Concurrent;
using System.Text.Json;

namespace Vcm.Domain.Text;

/// <summary>
/// The text of a typed state where it is stored and shown in lower camel case ("pending", "ready"): one rule for
/// the database and the API, so the two never differ.
/// </summary>
public static class EnumText
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Lower<T>(T value)
        where T : struct, Enum =>
        Names.GetOrAdd(value, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()));

    /// <summary>The value named <paramref name="text"/> (in any case); throws <see cref="FormatException"/> for an unknown name.</summary>
    public static T Parse<T>(string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !text.Any(char.IsDigit)
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(T).Name}");
}
