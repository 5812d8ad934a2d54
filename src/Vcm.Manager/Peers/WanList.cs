namespace Vcm.Manager.Peers;

/// <summary>
/// A gateway host's WAN addresses in path order as the database keeps them (comma-separated, only when there are
/// several; the first is also in its own column).
/// </summary>
public static class WanList
{
    /// <summary>The addresses of a stored list; empty for none.</summary>
    public static IReadOnlyList<string> Split(string? stored) =>
        stored is null ? [] : stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The list to store: null unless there are several addresses.</summary>
    public static string? Join(IReadOnlyList<string>? addresses) =>
        addresses is { Count: > 1 } ? string.Join(',', addresses) : null;

    /// <summary>Every address in path order: the stored list when there is one, else the single address (if any).</summary>
    public static IReadOnlyList<string> Of(string? first, string? stored) =>
        Split(stored) is { Count: > 1 } all ? all : first is { Length: > 0 } one ? [one] : [];

    /// <summary>A list to send to a peer: null unless there are several addresses.</summary>
    public static IReadOnlyList<string>? Several(string? stored) => Split(stored) is { Count: > 1 } all ? all : null;
}
