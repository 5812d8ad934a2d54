#!/usr/bin/env bash
# bench/migrate-disk.sh [MIB] [RUNS]: how a live migration carries a node's disk, measured two ways between two
# QEMUs on loopback (no guest boots: the machine's memory and a qcow2 overlay holding MIB MiB of data over a shared
# base image, as a node's disk is over its image):
#   mirror  what vcm does: the receiver exports its empty overlay over NBD; the source mirrors its overlay's top
#           (drive-mirror sync=top, write-blocking) until in sync, migrates the memory, then ends the mirror
#   block   QEMU's deprecated block migration (capability "block", inc: the top overlay only), gone in QEMU 9.1
# Prints, per run: the disk copy before the memory migration (mirror), QEMU's total time and downtime, the wall time
# from the first command to the end (each QMP call here starts python, ~50 ms), and whether the disks then match.
set -euo pipefail
MIB=${1:-256} RUNS=${2:-3} MEM=${MEM:-256}
W=$(mktemp -d /tmp/vcm-migbench.XXXXXX)
cleanup() {
  for p in "$W"/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  sleep 0.3; rm -rf "$W"
}
trap cleanup EXIT

qmp() { # SOCKET COMMAND [ARGUMENTS-JSON]: prints the return value as JSON
  python3 - "$W/$1.sock" "$2" "${3:-}" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
f.readline(); f.write('{"execute":"qmp_capabilities"}\n'); f.flush(); f.readline()
m = {"execute": sys.argv[2]}
if sys.argv[3]: m["arguments"] = json.loads(sys.argv[3])
f.write(json.dumps(m) + "\n"); f.flush()
while True:
    r = json.loads(f.readline())
    if "event" in r: continue
    if "error" in r: sys.exit("QMP %s: %s" % (sys.argv[2], r["error"]["desc"]))
    print(json.dumps(r["return"])); break
PY
}
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
now() { date +%s.%N; }

disk_args() { # DISK: vcm's named nodes for the mirror; block migration finds disks by -drive's device name
  if [ "$mode" = mirror ]; then
    echo "-blockdev driver=file,filename=$1,node-name=disk0-file -blockdev driver=qcow2,file=disk0-file,node-name=disk0 -device virtio-blk-pci,drive=disk0,share-rw=on"
  else
    echo "-drive file=$1,format=qcow2,if=none,id=disk0 -device virtio-blk-pci,drive=disk0"
  fi
}
start() { # NAME DISK [EXTRA...]
  local name=$1 disk=$2; shift 2
  qemu-system-x86_64 -nodefaults -display none -accel tcg -m "$MEM" \
    $(disk_args "$disk") -qmp "unix:$W/$name.sock,server=on,wait=off" "$@" \
    >"$W/$name.log" 2>&1 & echo $! >"$W/$name.pid"
  until [ -S "$W/$name.sock" ]; do sleep 0.05; done
}
stop() { kill "$(cat "$W/$1.pid")" 2>/dev/null || true; wait "$(cat "$W/$1.pid")" 2>/dev/null || true; rm -f "$W/$1.pid" "$W/$1.sock"; }

wait_migrated() {
  while :; do
    st=$(qmp src query-migrate); s=$(echo "$st" | field 'd.get("status")')
    case $s in completed) break ;; failed|cancelled) echo "migration $s: $st" >&2; exit 1 ;; esac
    sleep 0.02
  done
}

qemu-img create -q -f qcow2 "$W/base.qcow2" "$((MIB * 2))M"
echo "bench/migrate-disk.sh: $MIB MiB in the overlay, $MEM MiB of memory, TCG, loopback; $RUNS runs each"
for mode in mirror block; do
  for run in $(seq "$RUNS"); do
    rm -f "$W/src.qcow2" "$W/dst.qcow2"
    qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$W/src.qcow2"
    qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 "$W/dst.qcow2"
    qemu-io -c "write -P 0x5a 0 ${MIB}M" "$W/src.qcow2" >/dev/null
    start src "$W/src.qcow2"; start dst "$W/dst.qcow2" -incoming defer
    qmp src migrate-set-parameters '{"downtime-limit":100,"max-bandwidth":1073741824}' >/dev/null
    T0=$(now)
    if [ $mode = mirror ]; then
      port=$((49152 + RANDOM % 10000))
      qmp dst nbd-server-start "{\"addr\":{\"type\":\"inet\",\"data\":{\"host\":\"127.0.0.1\",\"port\":\"$port\"}}}" >/dev/null
      qmp dst block-export-add '{"type":"nbd","id":"disk0","node-name":"disk0","name":"disk0","writable":true}' >/dev/null
      qmp dst migrate-incoming '{"uri":"tcp:127.0.0.1:0"}' >/dev/null
      mport=$(qmp dst query-migrate | field 'd["socket-address"][0]["port"]')
      qmp src drive-mirror "{\"device\":\"disk0\",\"job-id\":\"m\",\"target\":\"nbd:127.0.0.1:$port:exportname=disk0\",\"format\":\"raw\",\"sync\":\"top\",\"mode\":\"existing\",\"copy-mode\":\"write-blocking\"}" >/dev/null
      until [ "$(qmp src query-block-jobs | field 'd[0]["ready"] if d else False')" = True ]; do sleep 0.02; done
      T1=$(now)
      qmp src migrate "{\"uri\":\"tcp:127.0.0.1:$mport\"}" >/dev/null
      wait_migrated
      qmp src block-job-cancel '{"device":"m"}' >/dev/null
      until [ "$(qmp src query-block-jobs)" = "[]" ]; do sleep 0.02; done
    else
      qmp dst migrate-incoming '{"uri":"tcp:127.0.0.1:0"}' >/dev/null
      mport=$(qmp dst query-migrate | field 'd["socket-address"][0]["port"]')
      T1=$(now)
      qmp src migrate-set-capabilities '{"capabilities":[{"capability":"block","state":true}]}' >/dev/null
      qmp src migrate-set-parameters '{"block-incremental":true}' >/dev/null
      qmp src migrate "{\"uri\":\"tcp:127.0.0.1:$mport\"}" >/dev/null
      wait_migrated
    fi
    T2=$(now)
    read -r total down < <(echo "$st" | field '"%s %s" % (d["total-time"], d["downtime"])')
    qmp dst quit >/dev/null 2>&1 || true; stop src; stop dst
    qemu-img compare -q "$W/src.qcow2" "$W/dst.qcow2" && same=same || same=DIFFERS
    copy=$([ $mode = mirror ] && printf '%5.0f ms' "$(echo "($T1 - $T0) * 1000" | bc)" || echo "(in total)")
    printf '%-6s run %s: disk copy %10s, QEMU total %5s ms, downtime %4s ms, wall %5.0f ms, disks %s\n' \
      $mode "$run" "$copy" "$total" "$down" "$(echo "($T2 - $T0) * 1000" | bc)" $same
  done
done
