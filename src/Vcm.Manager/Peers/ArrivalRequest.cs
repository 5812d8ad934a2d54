namespace Vcm.Manager.Peers;

/// <summary>
/// A cluster's home asks the peer that runs part of it to take one more of its nodes, live-migrated from a host of
/// the home (<c>PUT /federation/v1/parts/{cluster}/arrivals/{migration}</c>): the node as the home assigned it, when
/// its VM last booted (so the home still counts its phone-home), and the host asked for (null: the peer picks one).
/// Asking again answers the arrival's status: the home polls with the same request.
/// </summary>
public sealed record ArrivalRequest(PartNode Node, long? BootedMs, string? Host, string Reason);
