using Vcm.Agent.Linux.Network;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>The path selector's rule: the lowest usable path, a path that came back only after the hold-down.</summary>
public sealed class VpnPathChoiceTests
{
    private const long Now = 1_000_000;
    private static readonly long HoldDown = (long)VpnPathChoice.HoldDown.TotalMilliseconds;

    private static VpnPathHealth Up(int path, long since = 0) => new(path, true, since);

    private static VpnPathHealth Down(int path) => new(path, false, null);

    [Fact]
    public void BothUp_NothingBridged_TakesPath1() =>
        Assert.Equal(1, VpnPathChoice.Choose([Up(1, Now), Up(2, Now)], current: null, Now));

    [Fact]
    public void ActivePathDown_TakesTheStandbyAtOnce() =>
        Assert.Equal(2, VpnPathChoice.Choose([Down(1), Up(2)], current: 1, Now));

    [Fact]
    public void Path1Back_WithinTheHoldDown_StaysOnTheStandby() =>
        Assert.Equal(2, VpnPathChoice.Choose([Up(1, Now - HoldDown + 1), Up(2)], current: 2, Now));

    [Fact]
    public void Path1Back_ForTheHoldDown_SwitchesBack() =>
        Assert.Equal(1, VpnPathChoice.Choose([Up(1, Now - HoldDown), Up(2)], current: 2, Now));

    [Fact]
    public void NothingUsable_KeepsThePathInUse() =>
        Assert.Equal(2, VpnPathChoice.Choose([Down(1), Down(2)], current: 2, Now));

    [Fact]
    public void NothingUsableNorBridged_Path1() =>
        Assert.Equal(1, VpnPathChoice.Choose([Down(1), Down(2)], current: null, Now));

    [Fact]
    public void InUsePathDown_OnlyAJustReturnedPathUsable_TakesItRatherThanNothing() =>
        Assert.Equal(1, VpnPathChoice.Choose([Up(1, Now), Down(2)], current: 2, Now));

    [Fact]
    public void ThreePaths_LowestSettledWins() =>
        Assert.Equal(2, VpnPathChoice.Choose([Down(1), Up(2, Now - HoldDown), Up(3)], current: 3, Now));
}
