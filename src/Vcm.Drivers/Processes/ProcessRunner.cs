using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Vcm.Drivers.Processes;

public sealed class ProcessRunner : IProcessRunner
{
    public static readonly ProcessRunner Instance = new();

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = StartInfo(spec) };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(spec, 127, "", e.Message, started.Elapsed).EnsureSuccess();
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (spec.StandardInput is not null)
        {
            await process.StandardInput.WriteAsync(spec.StandardInput.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(spec.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{spec.CommandLine}' did not finish within {spec.Timeout.TotalSeconds:0.#} s and was killed.");
        }

        // WaitForExitAsync returns when the process exits; the output streams may still be draining.
        process.WaitForExit();
        return new ProcessResult(spec, process.ExitCode, Text(stdout), Text(stderr), started.Elapsed);
    }

    /// <summary>
    /// Runs a program attached to this process's terminal (standard input, output and error are inherited), for
    /// interactive commands such as ssh; returns its exit code. Cancellation kills its tree.
    /// </summary>
    public async Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var info = StartInfo(spec);
        info.RedirectStandardInput = false;
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(spec, 127, "", e.Message, TimeSpan.Zero).EnsureSuccess().ExitCode;
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            throw;
        }

        return process.ExitCode;
    }

    /// <summary>
    /// Starts a long-running program. Its output lines go to <paramref name="output"/> (standard error lines too);
    /// with no callback they are discarded. Stop it with <see cref="RunningProcess.StopAsync"/>.
    /// </summary>
    public RunningProcess Start(ProcessSpec spec, Action<string>? output = null)
    {
        var process = new Process { StartInfo = StartInfo(spec) };
        process.StartInfo.RedirectStandardInput = false;
        process.OutputDataReceived += (_, e) => Forward(output, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            new ProcessResult(spec, 127, "", e.Message, TimeSpan.Zero).EnsureSuccess();
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningProcess(process, spec);
    }

    private static void Forward(Action<string>? output, string? line)
    {
        if (line is not null)
        {
            output?.Invoke(line);
        }
    }

    internal static ProcessStartInfo StartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var arg in spec.Arguments)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
