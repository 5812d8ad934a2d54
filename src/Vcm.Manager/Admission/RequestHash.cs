using System.Security.Cryptography;
using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;

namespace Vcm.Manager.Admission;

/// <summary>
/// The SHA-256 of a create request in canonical form — its fields as read, written back in one order without
/// absent ones — so that the same request sent with other spacing or field order has the same hash.
/// </summary>
public static class RequestHash
{
    public static string Of(ClusterSpecInput input) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(input, ApiJson.Options)));
}
