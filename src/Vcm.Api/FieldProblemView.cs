namespace Vcm.Api;

public sealed record FieldProblemView(string Field, string Message);
