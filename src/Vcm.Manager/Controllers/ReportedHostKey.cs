using Vcm.Drivers.Network;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>
/// What a phone-home report's SSH host key does to its node: a node whose guest made its own key is pinned to the
/// key it reports; a node with a key vcm made (<see cref="NodeRecord.HostKeyPrivate"/>) stays pinned to that one, and
/// a report of another key is a mismatch to warn about, never a new pin.
/// </summary>
public static class ReportedHostKey
{
    /// <summary>The report whose key the node is pinned to from now on; null when the pin stays as it is.</summary>
    public static NodeReport? NewPin(NodeRecord node, NodeReport report) =>
        node.HostKeyPrivate is null && report.HostKey != node.HostKey ? report : null;

    /// <summary>What to warn about when a node with a key vcm made reported another; null when it reported that key.</summary>
    public static string? Mismatch(NodeRecord node, NodeReport report) =>
        node.HostKeyPrivate is not null && report.HostKey != node.HostKey
            ? $"{node.Name} answered with SSH host key {report.Fingerprint}, not the one vcm made for it ({node.HostKeyFingerprint}); vcm ssh keeps the key vcm made"
            : null;
}
