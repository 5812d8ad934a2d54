namespace Vcm.Domain.Common;

/// <summary>One thing wrong with a request: the field it concerns (JSON name, dotted) and a sentence.</summary>
public sealed record Problem(string Field, string Message)
{
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}
