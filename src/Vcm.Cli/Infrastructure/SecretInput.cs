using System.Text;

namespace Vcm.Cli.Infrastructure;

/// <summary>Reads a secret (a token, a password) from standard input: one line when it is piped in, else typed at a prompt without echo.</summary>
public static class SecretInput
{
    public static async Task<string?> ReadAsync(string prompt, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
        {
            return (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n');
        }

        await Console.Error.WriteAsync(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                await Console.Error.WriteLineAsync();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
