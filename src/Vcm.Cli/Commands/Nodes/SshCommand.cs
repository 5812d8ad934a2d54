using System.CommandLine;
using System.Security.Cryptography;
using Vcm.Api;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Processes;

namespace Vcm.Cli.Commands.Nodes;

/// <summary>
/// vcm ssh CLUSTER [NODE] [-- COMMAND …]: SSH to a node (the head by default) through its gateway's forwarded port.
/// The node's host key is pinned from what it reported when it phoned home — never accepted blindly.
/// </summary>
public static class SshCommand
{
    /// <summary>What follows "--" on the command line: the remote command (taken out before parsing).</summary>
    public static IReadOnlyList<string> RemoteCommand { get; private set; } = [];

    /// <summary>Splits "vcm ssh … -- CMD …" so the remote command's words are never taken for vcm's options.</summary>
    public static string[] Extract(string[] args)
    {
        var ssh = Array.IndexOf(args, "ssh");
        var separator = Array.IndexOf(args, "--");
        if (ssh < 0 || separator < ssh)
        {
            return args;
        }

        RemoteCommand = args[(separator + 1)..];
        return args[..separator];
    }

    public static Command Create(CliServices services)
    {
        var cluster = new Argument<string>("cluster") { Description = "The cluster's name." };
        var node = new Argument<string?>("node") { Description = "The node (default head).", Arity = ArgumentArity.ZeroOrOne };
        var identity = new Option<string?>("--identity", "-i") { Description = "Your private key file (default: ssh's own defaults)." };
        var admin = new Option<bool>("--admin") { Description = "Log in with the cluster's admin key that vcm keeps (provider admins)." };
        var command = new Command("ssh", "SSH into a node through the cluster's gateway; with -- COMMAND, run it and exit with its code.")
        {
            cluster, node, identity, admin,
        };
        command.SetAction(async (cli, ct) =>
        {
            var name = cli.Get(node) ?? "head";
            var target = await cli.Client().GetSshTargetAsync(cli.Get(cluster)!, name, cli.Get(admin), ct);
            if (target.HostKey is null || target.Fingerprint is null)
            {
                throw new CliException($"Node {name} has not reported its SSH host key yet; wait until the cluster is Ready", ExitCodes.Failed);
            }

            if (Fingerprint(target.HostKey) != target.Fingerprint)
            {
                throw new CliException($"Node {name} reported a host key that does not match its own fingerprint; refusing to connect", ExitCodes.Failed);
            }

            var folder = Directory.CreateTempSubdirectory("vcm-ssh-");
            try
            {
                var knownHosts = Path.Combine(folder.FullName, "known_hosts");
                var parts = target.HostKey.Split(' ', 3);
                await File.WriteAllTextAsync(knownHosts, $"[{target.Address}]:{target.Port} {parts[0]} {parts[1]}\n", ct);
                var args = new List<string>
                {
                    "-F", "/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", $"UserKnownHostsFile={knownHosts}",
                    "-o", "GlobalKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10",
                    "-p", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                if (cli.Get(identity) is { } key)
                {
                    args.AddRange(["-o", "IdentitiesOnly=yes", "-i", key]);
                }

                if (target.AdminPrivateKey is { } pem)
                {
                    var keyFile = Path.Combine(folder.FullName, "admin_key");
                    await File.WriteAllTextAsync(keyFile, pem, ct);
                    File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    args.AddRange(["-o", "IdentitiesOnly=yes", "-i", keyFile]);
                }

                if (RemoteCommand.Count > 0)
                {
                    args.AddRange(["-o", "BatchMode=yes"]);
                }

                args.Add($"{target.User}@{target.Address}");
                if (RemoteCommand.Count > 0)
                {
                    args.Add("--");
                    args.AddRange(RemoteCommand);
                }

                var spec = target.Netns is { } netns
                    ? new ProcessSpec("ip", ["netns", "exec", netns, "ssh", .. args])
                    : new ProcessSpec("ssh", args);
                return await services.Runner.RunAttachedAsync(spec, ct);
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });
        return command;
    }

    /// <summary>The OpenSSH SHA256 fingerprint of a public key line.</summary>
    public static string Fingerprint(string publicKeyLine)
    {
        var parts = publicKeyLine.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(parts[1]))).TrimEnd('=');
        }
        catch (FormatException)
        {
            return "";
        }
        catch (IndexOutOfRangeException)
        {
            return "";
        }
    }
}
