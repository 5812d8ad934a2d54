namespace Vcm.Manager.Controllers;

/// <summary>Exponential backoff with jitter for failed attempts.</summary>
public static class Backoff
{
    public static TimeSpan For(int attempts, TimeSpan first, TimeSpan max)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = first.TotalMilliseconds * Math.Pow(2, exponent);
        delay = Math.Min(delay, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + Random.Shared.NextDouble() * 0.4));
    }
}
