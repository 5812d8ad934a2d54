namespace Vcm.Store.Records;

public sealed class ImageRecord
{
    public required string Name { get; set; }

    public required string Description { get; set; }
}
