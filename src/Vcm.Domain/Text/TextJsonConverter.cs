using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vcm.Domain.Text;

/// <summary>Writes a <see cref="ITextValue{TSelf}"/> as its text (its ToString) and reads it back with its parser.</summary>
public sealed class TextJsonConverter<T> : JsonConverter<T>
    where T : ITextValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string for {typeof(T).Name}");
        }

        return T.TryParse(reader.GetString(), out var value, out var error) && value is not null
            ? value
            : throw new JsonException($"{typeof(T).Name} {error}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
