using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Vcm.Domain.Text;

namespace Vcm.Manager.Api;

/// <summary>
/// OpenAPI schemas for values written as one piece of text (<see cref="ITextValue{TSelf}"/>: sizes like 512M, rates
/// like 100M, subnets, site shares): a string, described by an example, instead of the empty schema the generator
/// makes for a type with its own JSON converter.
/// </summary>
public static class TextValueSchemas
{
    private static readonly Dictionary<Type, (string Description, string Example)> Known = new()
    {
        [typeof(Domain.Sizes.ByteSize)] = ("a size with a unit K, M, G or T", "512M"),
        [typeof(Domain.Sizes.BitRate)] = ("a rate in Mbit/s or Gbit/s", "100M"),
        [typeof(Domain.Networking.Ipv4Subnet)] = ("an IPv4 network in CIDR form", "10.0.0.0/24"),
        [typeof(Domain.Clusters.SiteShare)] = ("SITE, or SITE:COUNT nodes", "a:2"),
    };

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (IsTextValue(Nullable.GetUnderlyingType(type) ?? type) is { } text)
        {
            // A nullable one is described as oneOf [null, the value] by the generator: the value itself is a string.
            Describe(schema, text);
        }
        else if (type.IsGenericType && type.GetGenericArguments() is [var item] && IsTextValue(item) is { } itemText
            && typeof(IEnumerable<>).MakeGenericType(item).IsAssignableFrom(type))
        {
            // the generator leaves a list of them without items
            var items = new OpenApiSchema();
            Describe(items, itemText);
            schema.Items = items;
        }

        return Task.CompletedTask;
    }

    private static Type? IsTextValue(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITextValue<>)) ? type : null;

    private static void Describe(OpenApiSchema schema, Type type)
    {
        var (description, example) = Known.TryGetValue(type, out var known) ? known : ($"a {type.Name} as text", "");
        schema.Type = JsonSchemaType.String;
        schema.Properties?.Clear();
        schema.Description ??= description;
        if (example.Length > 0)
        {
            schema.Examples = [System.Text.Json.Nodes.JsonValue.Create(example)];
        }
    }
}
