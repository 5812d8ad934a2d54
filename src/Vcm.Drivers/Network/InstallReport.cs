namespace Vcm.Drivers.Network;

/// <summary>
/// How a node's install at boot went (its 40-packages hook, reported with the phone-home): apt's exit code, how many
/// packages it installed, how long it took from the first fetch to the end, and apt's first error line when it failed.
/// </summary>
public sealed record InstallReport(int Rc, int Count, double Seconds, string Error)
{
    public bool Succeeded => Rc == 0;
}
