using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Compute;

/// <summary>
/// Finds out whether hardware virtualisation really works here, rather than trusting that /dev/kvm exists: it boots
/// a kernel with <c>vm.probe=1</c> under <c>-accel kvm</c> and waits, at most <see cref="Timeout"/>, for the guest
/// to print <c>VCM-PROBE-OK</c> on its serial console (see docs/guest-protocol.md). The answer is cached in
/// <see cref="CacheFile"/> together with the host's boot id, so it is probed again only after a reboot.
/// </summary>
public sealed partial class KvmProbe
{
    public const string ProbeMarker = "VCM-PROBE-OK";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly IProcessRunner _runner;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public KvmProbe(IProcessRunner runner, string cacheFile, ILogger? logger = null)
    {
        _runner = runner;
        CacheFile = cacheFile;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The probe of one host, cached in its data folder.</summary>
    public static KvmProbe ForHost(LinuxHostContext context, ILogger? logger = null) =>
        new(context.Runner, Path.Combine(context.DataDirectory, "kvm-probe.json"), logger);

    public string CacheFile { get; }

    /// <summary>How long the probe guest may take to answer; a KVM that hangs is found out by this timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public string QemuBinary { get; init; } = "qemu-system-x86_64";

    public string KvmDevice { get; init; } = "/dev/kvm";

    /// <summary>The cached answer for this boot of the host, or null when the host has not been probed since it booted.</summary>
    public KvmProbeResult? Cached
    {
        get
        {
            try
            {
                var result = JsonSerializer.Deserialize<KvmProbeResult>(File.ReadAllText(CacheFile), Json);
                return result is not null && result.BootId == BootId() ? result : null;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>True when a guest boots under KVM; probes (booting <paramref name="kernel"/>) unless the answer is cached.</summary>
    public async Task<bool> IsUsableAsync(string kernel, string initrd, CancellationToken cancellationToken)
    {
        if (Cached is { } cached)
        {
            return cached.Kvm;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Cached is { } again)
            {
                return again.Kvm;
            }

            var result = await ProbeAsync(kernel, initrd, cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(CacheFile)!);
            var temp = CacheFile + ".tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(result, Json), cancellationToken);
            File.Move(temp, CacheFile, overwrite: true);
            LogProbed(_logger, result.Kvm, result.Seconds, result.Detail);
            return result.Kvm;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<KvmProbeResult> ProbeAsync(string kernel, string initrd, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        KvmProbeResult Answer(bool kvm, string detail) => new(kvm, BootId(), DateTimeOffset.UtcNow, Math.Round(started.Elapsed.TotalSeconds, 2), detail);

        if (!File.Exists(KvmDevice))
        {
            return Answer(false, $"{KvmDevice} does not exist");
        }

        var spec = new ProcessSpec(QemuBinary, [
            "-accel", "kvm", "-m", "128", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
            "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 quiet panic=-1 vm.probe=1", "-serial", "stdio",
        ])
        { Timeout = Timeout };
        try
        {
            var result = await _runner.RunAsync(spec, cancellationToken);
            return result.StandardOutput.Contains(ProbeMarker, StringComparison.Ordinal)
                ? Answer(true, "the probe guest booted under KVM")
                : Answer(false, $"the probe guest did not answer (exit {result.ExitCode}): {Last(result.StandardError + result.StandardOutput)}");
        }
        catch (TimeoutException)
        {
            return Answer(false, $"the probe guest did not answer within {Timeout.TotalSeconds:0.#} s under KVM");
        }
        catch (ProcessFailedException e)
        {
            return Answer(false, e.Message);
        }
    }

    private static string Last(string text)
    {
        text = text.Trim();
        return text.Length <= 300 ? text : text[^300..];
    }

    private static string BootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "KVM probe: usable={Kvm} after {Seconds} s ({Detail})")]
    private static partial void LogProbed(ILogger logger, bool kvm, double seconds, string detail);
}
