using Vcm.Drivers.Processes;

namespace Vcm.Agent.Tests.Linux.Debian;

/// <summary>Looks into an image's root file system with no mount: a raw copy of its qcow2 chain, read by debugfs.</summary>
public sealed class Ext4Image(string raw)
{
    public static async Task<Ext4Image> FromQcowAsync(string qcow, string raw, CancellationToken cancellationToken)
    {
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("qemu-img", "convert", "-f", "qcow2", "-O", "raw", qcow, raw), cancellationToken)).EnsureSuccess();
        return new Ext4Image(raw);
    }

    /// <summary>What debugfs prints for one request (its errors, such as "File not found by ext2_lookup", included).</summary>
    public async Task<string> DebugfsAsync(string request, CancellationToken cancellationToken)
    {
        var result = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("debugfs", "-R", request, raw), cancellationToken)).EnsureSuccess();
        return result.StandardOutput + result.StandardError;
    }
}
