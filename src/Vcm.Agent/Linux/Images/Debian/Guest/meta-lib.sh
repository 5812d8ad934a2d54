# /usr/lib/vcm/meta-lib.sh: what the hooks in /etc/vcm/meta.d share (sourced, after the hook defines log()). netup
# gives them META and TOKEN. busybox's applets (wget) are on PATH after Debian's own programs.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/vcm/bin
up() { cut -d' ' -f1 /proc/uptime; }

# problem TEXT: a step of the set-up failed: logged, and listed in /run/vcm/setup.problems, which netup sends with the
# phone-home (setup_problems) so that the manager tells the tenant
problem() { log "FAILED: $*"; mkdir -p /run/vcm; printf '%s\n' "$*" >> /run/vcm/setup.problems; }

# fetch ITEM FILE: /v1/self/ITEM of the metadata service into FILE (atomically): 0 written, 1 the service has none
# for this node (404), 2 no answer after 20 tries
fetch() {
  k=0
  while :; do
    err=$(timeout 20 wget -q -O "$2.part" --header "X-Vcm-Token: $TOKEN" "$META/v1/self/$1" 2>&1) && { mv "$2.part" "$2"; return 0; }
    rm -f "$2.part"
    case "$err" in *" 404 "*) return 1;; esac
    k=$((k + 1))
    [ $k -ge 20 ] && { problem "$1 from the metadata service: no answer: $err"; return 2; }
    sleep 2
  done
}
