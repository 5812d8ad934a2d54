using Microsoft.AspNetCore.Identity;
using Vcm.Store.Records;

namespace Vcm.Manager.Auth;

/// <summary>
/// Local accounts' passwords, hashed with ASP.NET Core Identity's PasswordHasher (PBKDF2-HMAC-SHA512, a random salt,
/// 100,000 iterations, its versioned format). A sign-in with an unknown user costs a verification too, so timing does
/// not tell which names exist.
/// </summary>
public sealed class Passwords
{
    private readonly PasswordHasher<UserRecord> _hasher = new();
    private readonly string _decoy;

    public Passwords()
    {
        _decoy = _hasher.HashPassword(Decoy, Guid.NewGuid().ToString("N"));
    }

    private static readonly UserRecord Decoy = new() { Id = "decoy", Name = "decoy", Role = "reader" };

    public string Hash(UserRecord user, string password) => _hasher.HashPassword(user, password);

    /// <summary>Whether <paramref name="password"/> is the user's; false for no user or a user without a password.</summary>
    public bool Verify(UserRecord? user, string password)
    {
        if (user?.PasswordHash is not { } hash)
        {
            _hasher.VerifyHashedPassword(Decoy, _decoy, password);
            return false;
        }

        return _hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed;
    }
}
