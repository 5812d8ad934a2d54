using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>A fact that needs what <see cref="RequiresNetworkAdminAttribute"/> checks; skipped with the reason elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NetworkAdminFactAttribute : FactAttribute
{
    public NetworkAdminFactAttribute()
    {
        if (RequiresNetworkAdminAttribute.Reason() is { } reason)
        {
            Skip = reason;
        }
    }
}
