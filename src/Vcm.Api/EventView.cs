namespace Vcm.Api;

public sealed record EventView(DateTimeOffset At, string Type, string Reason, string Message, string Source);
