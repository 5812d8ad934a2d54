namespace Vcm.Store.Records;

public sealed class SiteRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? Url { get; set; }

    public bool IsLocal { get; set; }

    public int VniFirst { get; set; }

    public int VniLast { get; set; }

    public long CalendarVersion { get; set; }

    public long Version { get; set; }
}
