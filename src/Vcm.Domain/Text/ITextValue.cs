namespace Vcm.Domain.Text;

/// <summary>A value written as one piece of text (a size like 512M, a subnet, a site share): parsed and printed.</summary>
public interface ITextValue<TSelf>
    where TSelf : ITextValue<TSelf>
{
    /// <summary>Parses the text; on failure <paramref name="error"/> is a sentence fragment saying why.</summary>
    static abstract bool TryParse(string? text, out TSelf? value, out string error);
}
