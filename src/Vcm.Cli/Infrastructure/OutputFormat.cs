namespace Vcm.Cli.Infrastructure;

public enum OutputFormat
{
    Table,
    Json,
}
