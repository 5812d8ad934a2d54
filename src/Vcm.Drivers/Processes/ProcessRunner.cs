using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Vcm.Drivers.Processes;

public sealed class ProcessRunner : IProcessRunner
{
    public static readonly ProcessRunner Instance = new();

    /// <summary>How long a killed program may take to die before the runner stops waiting for it.</summary>
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(30);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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

        // Armed before anything that can block: a child that never reads its input blocks the writer for good.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(spec.Timeout);
        var input = Task.CompletedTask;
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            input = Task.Run(() => WriteInputAsync(process, spec.StandardInput), CancellationToken.None);
            await process.WaitForExitAsync(deadline.Token);
            await input.WaitAsync(deadline.Token);
        }
        catch (Exception e)
        {
            // Every way out but the program's own exit: timeout, cancellation, a failure while feeding it.
            KillAndReap(process);
            await ObserveAsync(input);
            if (e is OperationCanceledException && deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"'{spec.CommandLine}' did not finish within {spec.Timeout.TotalSeconds:0.#} s and was killed.");
            }

            throw;
        }

        // WaitForExitAsync returns when the process exits; the output streams may still be draining.
        process.WaitForExit();
        return new ProcessResult(spec, process.ExitCode, Text(stdout), Text(stderr), started.Elapsed);
    }

    public async Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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
            KillAndReap(process);
            throw;
        }

        return process.ExitCode;
    }

    public IRunningProcess Start(ProcessSpec spec, Action<string>? output = null)
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

    /// <summary>Kills the process and every process below it, then waits (a while at most) until it is gone.</summary>
    internal static void KillAndReap(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.WaitForExit(ReapTimeout);
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

    /// <summary>
    /// Writes the program's input and closes it. A pipe write cannot be cancelled, so this runs apart from the wait;
    /// it ends when the program took everything, or fails once the program closed its input (or was killed).
    /// </summary>
    private static async Task WriteInputAsync(Process process, string? text)
    {
        try
        {
            if (text is not null)
            {
                await process.StandardInput.WriteAsync(text.AsMemory(), CancellationToken.None);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program closed its input or exited without reading all of it: what it did instead shows in its
            // exit code and output.
        }
    }

    /// <summary>Waits for the input writer after a kill (its pipe is closed by then), so nothing runs on unobserved.</summary>
    private static async Task ObserveAsync(Task input)
    {
        try
        {
            await input.WaitAsync(ReapTimeout);
        }
        catch (Exception)
        {
            // the writer's own failure is not the one to report
        }
    }

    private static void Forward(Action<string>? output, string? line)
    {
        if (line is not null)
        {
            output?.Invoke(line);
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
