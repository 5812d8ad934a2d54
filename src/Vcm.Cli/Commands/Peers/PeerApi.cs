using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Peers;

/// <summary>
/// Calls of the peer API with one plain sentence for a manager that has none (an older vcm answers 404 with no
/// detail); every other problem is reported as the API states it.
/// </summary>
internal static class PeerApi
{
    public static async Task<T> CallAsync<T>(Invocation cli, string endpoint, Func<VcmClient, Task<T>> call)
    {
        try
        {
            return await call(cli.Client());
        }
        catch (VcmApiException e) when (e.Status == 404 && e.Problem.Detail is null)
        {
            throw new CliException($"The manager at {cli.ServerUrl} has no peer API (404 on {endpoint}); it runs a vcm without federation", ExitCodes.NotFound);
        }
    }
}
