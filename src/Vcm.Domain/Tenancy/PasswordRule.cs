namespace Vcm.Domain.Tenancy;

/// <summary>What a local account's password must be: long enough to resist guessing (NIST SP 800-63B asks at least 8; vcm 12), and not absurdly long.</summary>
public static class PasswordRule
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    public const string Rule = "must be 12 to 256 characters";

    public static bool IsValid(string? password) =>
        password is { Length: >= MinLength and <= MaxLength } && !password.Any(char.IsControl);
}
