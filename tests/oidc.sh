#!/usr/bin/env bash
# A throwaway OpenID Connect provider on loopback for the tests (tests/oidc: panva's oidc-provider, npm ci when
# node_modules is missing).
#   tests/oidc.sh start DIR PORT   -> prints the issuer URL once it answers its discovery document
#   tests/oidc.sh stop DIR         -> stops it (by the PID it recorded) and removes DIR
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)/oidc"
case "${1:-}" in
  start)
    dir=$2 port=$3
    if [ ! -d "$here/node_modules/oidc-provider" ]; then
      (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
    mkdir -p "$dir"
    issuer="http://127.0.0.1:$port"
    setsid node "$here/server.js" "$port" >"$dir/log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      if curl -fsS "$issuer/.well-known/openid-configuration" >/dev/null 2>&1; then
        echo "$issuer"
        exit 0
      fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "oidc.sh: the provider did not start; its log:" >&2
    cat "$dir/log" >&2
    kill "$(cat "$dir/pid")" 2>/dev/null || true
    exit 1
    ;;
  stop)
    dir=$2
    if [ -f "$dir/pid" ]; then
      pid=$(cat "$dir/pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2;;
esac
