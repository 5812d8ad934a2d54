#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the tests (installed from Debian's packages if missing).
#   tests/postgres.sh start DIR PORT   -> prints the connection string
#   tests/postgres.sh stop DIR         -> stops it and removes DIR
# PostgreSQL refuses to run as root, so the server runs as the postgres user.
set -euo pipefail
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
case "${1:-}" in
  start)
    dir=$2 port=$3
    bin=$(find_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(find_bin)
    fi
    mkdir -p "$dir"; chown postgres "$dir"
    su postgres -s /bin/sh -c "$bin/initdb -D '$dir/data' -A trust -U vcm >/dev/null"
    su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300' -l '$dir/log' -w start >/dev/null"
    echo "Host=127.0.0.1;Port=$port;Username=vcm;Database=postgres"
    ;;
  stop)
    dir=$2
    bin=$(find_bin)
    [ -d "$dir/data" ] && su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -m fast stop >/dev/null" || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2;;
esac
