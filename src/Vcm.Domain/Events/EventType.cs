namespace Vcm.Domain.Events;

/// <summary>Whether an event is routine or asks for attention.</summary>
public enum EventType
{
    Normal,
    Warning,
}
