using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Vcm.Store.Secrets;

/// <summary>
/// The site's key for secrets kept in the database (docs/architecture.md, "Secrets"). Envelope encryption: a random
/// 256-bit column key encrypts each value with AES-GCM (fast enough for a 10,000-node cluster's node tokens), and the
/// column key itself is kept in the key folder wrapped by ASP.NET Core Data Protection, whose key ring lives beside it
/// (folder 0700, files 0600). A copy of the database without the key folder reveals no secret.
/// A stored value is <see cref="Prefix"/> + base64url(nonce ‖ tag ‖ ciphertext); a value without the prefix is
/// one written in clear before secrets were encrypted (read as it is, and encrypted at start, see <see cref="SecretColumns"/>).
/// </summary>
public sealed class SiteSecrets
{
    public const string Prefix = "vcm-secret-1:";

    /// <summary>The file in the key folder that holds the column key, wrapped by Data Protection.</summary>
    public const string ColumnKeyFile = "column-key";

    private const string Purpose = "vcm database column key";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly byte[]? _key;
    private readonly string _source;

    private SiteSecrets(byte[]? key, string source)
    {
        _key = key;
        _source = source;
    }

    /// <summary>No key: reading or writing a secret fails. For tools that open the database but touch no secret.</summary>
    public static SiteSecrets Unavailable { get; } = new(null, "no site key");

    /// <summary>A key that lives only in this process (tests).</summary>
    public static SiteSecrets Ephemeral() => new(RandomNumberGenerator.GetBytes(32), "an ephemeral key");

    /// <summary>
    /// The site's key from <paramref name="folder"/> (made, with its Data Protection key ring, on first use). The
    /// folder is set to 0700 and every file in it to 0600, also those Data Protection adds when it rolls its keys.
    /// </summary>
    public static SiteSecrets Open(string folder)
    {
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder, PrivateFolder);
        File.SetUnixFileMode(folder, PrivateFolder);
        var protector = DataProtectionProvider.Create(new DirectoryInfo(folder), b => b.SetApplicationName("vcm")).CreateProtector(Purpose);
        var file = Path.Combine(folder, ColumnKeyFile);
        byte[] key;
        if (File.Exists(file))
        {
            key = protector.Unprotect(Convert.FromBase64String(File.ReadAllText(file).Trim()));
        }
        else
        {
            key = RandomNumberGenerator.GetBytes(32);
            var temp = file + ".tmp";
            File.Delete(temp);
            using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile }))
            {
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(protector.Protect(key)) + "\n"));
            }

            File.Move(temp, file);
        }

        foreach (var entry in Directory.EnumerateFiles(folder))
        {
            File.SetUnixFileMode(entry, PrivateFile);
        }

        return new SiteSecrets(key, folder);
    }

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    public string Protect(string plain)
    {
        var key = Key();
        var data = Encoding.UTF8.GetBytes(plain);
        var sealedBytes = new byte[NonceBytes + TagBytes + data.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The secret a stored value holds; a value stored in clear (before encryption) as it is.</summary>
    /// <exception cref="CryptographicException">The value was encrypted with another site's key, or changed.</exception>
    public string Unprotect(string stored)
    {
        if (!IsProtected(stored))
        {
            return stored;
        }

        var key = Key();
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(stored.AsSpan(Prefix.Length));
        }
        catch (FormatException e)
        {
            throw new CryptographicException("a stored secret is not valid base64url", e);
        }

        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("a stored secret is too short");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public override string ToString() => _source;

    private byte[] Key() => _key ?? throw new InvalidOperationException("this database connection has no site key to read or write secrets with (see SiteSecrets.Open)");
}
