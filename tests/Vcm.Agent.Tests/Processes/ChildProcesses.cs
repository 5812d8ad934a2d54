using System.Globalization;
using System.Security.Cryptography;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Agent.Tests.Processes;

/// <summary>
/// A test's child processes: shell scripts that write their PIDs into a scratch folder and carry <see cref="Tag"/> in
/// their command lines (as <c>$0</c>, or as the length of their <c>sleep</c>). On dispose every process that wrote its
/// PID here, still runs and carries the tag is killed by that PID (nothing else is ever signalled), then the folder goes.
/// </summary>
public sealed class ChildProcesses : IDisposable
{
    private readonly TempDirectory _folder = new("vcm-children");

    /// <summary>A number unique to this test: children run <c>sleep TAG</c> or carry it as their <c>$0</c>.</summary>
    public string Tag { get; } = RandomNumberGenerator.GetInt32(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    public string File(string name) => _folder.Combine(name);

    /// <summary><c>sh -c SCRIPT TAG ARGS…</c>: the script sees the tag as <c>$0</c> and the arguments as <c>$1</c>….</summary>
    public ProcessSpec Shell(string script, params string[] arguments) => new("sh", ["-c", script, "vcm-test-" + Tag, .. arguments]);

    /// <summary>The PID a child wrote into <paramref name="name"/>, once it did (null if it never does within a minute).</summary>
    public async Task<int?> PidAsync(string name)
    {
        for (var i = 0; i < 600; i++)
        {
            if (Read(name) is { } pid)
            {
                return pid;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>True once <paramref name="name"/> holds <paramref name="text"/> (false if it never does within a minute).</summary>
    public async Task<bool> SaidAsync(string name, string text)
    {
        for (var i = 0; i < 600; i++)
        {
            if (System.IO.File.Exists(File(name)) && (await System.IO.File.ReadAllTextAsync(File(name))).Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>
    /// Notes a child's PID here, so dispose kills it even when what the child wrote is gone (stopping a daemon removes
    /// its PID file); answers the PID.
    /// </summary>
    public int Note(int pid)
    {
        System.IO.File.WriteAllText(File($"noted-{pid.ToString(CultureInfo.InvariantCulture)}.pid"), pid.ToString(CultureInfo.InvariantCulture));
        return pid;
    }

    /// <summary>True while the PID names a process that has not exited (a zombie has).</summary>
    public static bool Runs(int pid) => ProcessIdentity.Of(pid) is not null;

    /// <summary>True once the PID names no running process (false if it still runs after a minute).</summary>
    public static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 600 && Runs(pid); i++)
        {
            await Task.Delay(100);
        }

        return !Runs(pid);
    }

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(_folder.Path, "*.pid"))
        {
            if (Read(Path.GetFileName(file)) is { } pid && Runs(pid) && ProcessIdentity.CommandLine(pid).Contains(Tag, StringComparison.Ordinal))
            {
                Signals.ForceKill(pid);
            }
        }

        _folder.Dispose();
    }

    private int? Read(string name)
    {
        var file = File(name);
        if (!System.IO.File.Exists(file))
        {
            return null;
        }

        return int.TryParse(System.IO.File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
