namespace Vcm.Domain.Common;

/// <summary>Identifiers: time-ordered, lower-case hex, the same text in every database.</summary>
public static class Ids
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
