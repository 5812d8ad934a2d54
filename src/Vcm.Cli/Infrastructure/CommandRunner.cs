using System.CommandLine;
using System.Net.Sockets;
using Vcm.Api;
using Vcm.Drivers;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;

namespace Vcm.Cli.Infrastructure;

/// <summary>Runs a command's action and turns every failure into one plain sentence and an exit code.</summary>
public static class CommandRunner
{
    public static void SetAction(this Command command, Func<Invocation, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var invocation = new Invocation(parse);
            try
            {
                return await action(invocation, cancellationToken);
            }
            catch (CliException e)
            {
                return Fail(invocation, e.Message, e.ExitCode, null);
            }
            catch (VcmApiException e)
            {
                var code = e.Status switch
                {
                    401 or 403 => ExitCodes.Unauthorized,
                    404 => ExitCodes.NotFound,
                    409 when IsNoCapacity(e.Problem) => ExitCodes.Refused,
                    409 => ExitCodes.Conflict,
                    400 => ExitCodes.Usage,
                    _ => ExitCodes.Failed,
                };
                return Fail(invocation, e.Message, code, e.Problem);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                return Fail(invocation, $"Cannot reach the vcm manager at {invocation.ServerUrl}; is `vcm up` running there?", ExitCodes.Unreachable, null);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                return Fail(
                    invocation,
                    $"The certificate of {invocation.ServerUrl} is not trusted here: sign in with `vcm login {invocation.ServerUrl} --ca-fingerprint FINGERPRINT` (`vcm site ca` at the site prints it).",
                    ExitCodes.Unreachable, null);
            }
            catch (HttpRequestException e)
            {
                return Fail(invocation, $"The request to {invocation.ServerUrl} failed: {e.Message}", ExitCodes.Unreachable, null);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Fail(invocation, $"The vcm manager at {invocation.ServerUrl} did not answer in time.", ExitCodes.Unreachable, null);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Interrupted;
            }
            catch (ManagerConfigurationException e)
            {
                return Fail(invocation, e.Message, ExitCodes.Usage, null);
            }
            catch (DriverException e)
            {
                return Fail(invocation, e.Message, ExitCodes.Failed, null);
            }
            catch (ProcessFailedException e)
            {
                return Fail(invocation, e.Message, ExitCodes.Failed, null);
            }
            catch (IOException e)
            {
                return Fail(invocation, e.Message, ExitCodes.Failed, null);
            }
            catch (UnauthorizedAccessException e)
            {
                return Fail(invocation, e.Message, ExitCodes.Failed, null);
            }
        });

    /// <summary>Admission's 409 (and a peer's refusal for capacity), told from other conflicts by the problem's type.</summary>
    private static bool IsNoCapacity(ProblemView problem) =>
        problem.EarliestStart is not null || problem.Type?.EndsWith("/no-capacity", StringComparison.Ordinal) == true;

    private static int Fail(Invocation invocation, string sentence, int code, ProblemView? problem)
    {
        if (invocation.Json)
        {
            invocation.WriteJson(new { error = sentence, exitCode = code, problem });
        }

        Console.Error.WriteLine(Sentence(sentence));
        return code;
    }

    private static string Sentence(string text)
    {
        text = text.Trim().ReplaceLineEndings(" ");
        return text.EndsWith('.') || text.EndsWith('?') ? text : text + ".";
    }
}
