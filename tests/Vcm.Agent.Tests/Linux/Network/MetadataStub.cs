namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// A stand-in for `vcm metadata --dir DIR --listen http://ADDR:PORT` (written elsewhere): it takes the same
/// arguments and serves "vcm metadata stub" on that address with busybox httpd until it gets SIGTERM. It stays the
/// process the driver started (a shell waiting on httpd), so its command line keeps the arguments the driver's PID
/// check looks for, and it stops its httpd when stopped.
/// </summary>
public static class MetadataStub
{
    public const string Greeting = "vcm metadata stub";

    private const string Script = """
        #!/bin/sh
        # test stand-in for: vcm metadata --dir DIR --listen http://ADDRESS:PORT
        [ "$1" = metadata ] || { echo "usage: $0 metadata --dir DIR --listen URL" >&2; exit 2; }
        shift
        while [ $# -gt 0 ]; do
          case "$1" in
            --dir) dir=$2; shift 2 ;;
            --listen) listen=$2; shift 2 ;;
            *) echo "unknown argument $1" >&2; exit 2 ;;
          esac
        done
        [ -d "$dir" ] && [ -n "$listen" ] || { echo "--dir and --listen are required" >&2; exit 2; }
        mkdir -p "$dir/stub-www"
        echo "vcm metadata stub" > "$dir/stub-www/index.html"
        busybox httpd -f -p "${listen#http://}" -h "$dir/stub-www" &
        child=$!
        trap 'kill $child 2>/dev/null; exit 0' TERM INT
        wait $child
        """;

    /// <summary>Writes the stub as an executable file in <paramref name="folder"/>; returns its path.</summary>
    public static string Write(string folder)
    {
        var path = Path.Combine(folder, "vcm-metadata-stub");
        File.WriteAllText(path, Script.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
