using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Manager.Configuration;

namespace Vcm.Manager.Tls;

/// <summary>Renews the manager's own certificate before it expires, checking at <see cref="ManagerOptions.CertificateCheckInterval"/>.</summary>
internal sealed partial class CertificateRenewal(ManagerTls tls, ManagerOptions options, TimeProvider clock, ILogger<CertificateRenewal> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CertificateCheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (tls.RenewIfDue())
                {
                    LogRenewed(logger, tls.Credentials.Current.Certificate!.NotAfter.ToUniversalTime());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "renewed the manager's certificate; the new one is valid until {NotAfter:u}")]
    private static partial void LogRenewed(ILogger logger, DateTime notAfter);
}
