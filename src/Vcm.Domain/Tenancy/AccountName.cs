using System.Text.RegularExpressions;

namespace Vcm.Domain.Tenancy;

/// <summary>Tenant and user names: lower-case letters, digits and '-', '.', '_' inside, 1 to 63 characters.</summary>
public static partial class AccountName
{
    public const string Rule = "must be 1 to 63 lower-case letters, digits, '-', '.' or '_', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
