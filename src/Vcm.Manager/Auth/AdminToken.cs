using Vcm.Store.Auth;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Auth;

/// <summary>
/// The provider's admin token: made at first start, written to DATA/admin.token with mode 0600, and kept in the
/// database only as a hash. A token file that exists is (re)registered, so a new database accepts it too. It signs
/// in as the site's first provider, the user "admin".
/// </summary>
public static class AdminToken
{
    public const string FileName = "admin.token";

    public const string UserName = "admin";

    public static async Task<string> EnsureAsync(string dataDirectory, TokenStore tokens, TenancyStore tenancy, long nowMs, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDirectory, FileName);
        string token;
        if (File.Exists(file))
        {
            token = (await File.ReadAllTextAsync(file, cancellationToken)).Trim();
        }
        else
        {
            token = TokenStore.NewSecret("vcm_");
            Directory.CreateDirectory(dataDirectory);
            var temp = file + ".tmp";
            await using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteLineAsync(token.AsMemory(), cancellationToken);
            }

            File.Move(temp, file, overwrite: true);
        }

        var admin = await tenancy.EnsureProviderAsync(UserName, nowMs, cancellationToken);
        await tokens.AddAsync("admin", token, nowMs, null, cancellationToken, admin.Id);
        return token;
    }
}
