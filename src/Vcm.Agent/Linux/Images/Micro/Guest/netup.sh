#!/bin/sh
# /sbin/netup IF: one NIC of a vcm guest (micro or Debian) came up (boot or hot-plug): DHCP (udhcpc stays to renew), then, for
# the first NIC that gets a lease, the metadata (docs/guest-protocol.md): hostname, the SSH host key (then the SSH
# server starts: /sbin/sshup), root's authorized_keys, the user script, and the phone-home report. /sbin/netup -d IF: the NIC is gone: stop its udhcpc, forget it.
if [ "$1" = -d ]; then
  [ -f "/run/net/$2.pid" ] && kill "$(cat "/run/net/$2.pid")" 2>/dev/null
  rm -rf "/run/net/$2" "/run/net/$2.pid" "/run/net/$2.lease"
  exit 0
fi
IF=$1
up() { cut -d' ' -f1 /proc/uptime; }
arg() { for a in $(cat /proc/cmdline); do case "$a" in "$1="*) echo "${a#*=}"; return 0;; esac; done; return 1; }
mkdir -p /run/net
mkdir "/run/net/$IF" 2>/dev/null || exit 0            # once per NIC: the boot scan and uevent may race
MAC=$(cat "/sys/class/net/$IF/address")
ip link set "$IF" up

# DHCP: address, router, DNS, MTU (option 26). Keep asking for a few minutes if the gateway is not up yet.
n=0
until udhcpc -i "$IF" -p "/run/net/$IF.pid" -t 5 -T 2 -n -O mtu -s /usr/share/udhcpc/default.script >/dev/null 2>&1; do
  n=$((n + 1))
  [ $n -ge 18 ] && { echo "[net] $IF $MAC: no DHCP lease"; /sbin/sshup; exit 1; }
done
. "/run/net/$IF.lease"                                # ip mask router serverid mtu (written by the udhcpc hook)
echo "[net] $IF $MAC $ip/$mask router=$router server=$serverid mtu=$mtu at $(up)s"

mkdir /run/meta 2>/dev/null || exit 0                 # metadata once per boot, from the first NIC with a lease
META=$(arg vm.meta) || META=http://$serverid
[ "$META" = 0 ] && { /sbin/sshup; exit 0; }
TOKEN=$(cat /run/vcm/token 2>/dev/null) || echo "[meta] no node token in /run/vcm/token"
TRIES=40

# call FILE URL [POST-DATA]: 0 done, 1 the service answered 404, 2 no good answer after TRIES tries
call() {
  k=0
  while :; do
    if [ -n "$3" ]; then
      err=$(timeout 10 wget -q -O "$1" --header "X-Vcm-Token: $TOKEN" --post-data "$3" "$2" 2>&1) && return 0
    else
      err=$(timeout 10 wget -q -O "$1" --header "X-Vcm-Token: $TOKEN" "$2" 2>&1) && return 0
    fi
    rm -f "$1"
    case "$err" in *" 404 "*) return 1;; esac
    k=$((k + 1))
    [ $k -ge $TRIES ] && { echo "[meta] $2: no answer: $err"; return 2; }
    [ $k -le 5 ] && sleep $k || sleep 5
  done
}
get() { call "/run/meta/$1" "$META/v1/self/$1"; }
enc() { echo -n "$1" | sed 's/%/%25/g; s/+/%2B/g; s/ /%20/g; s|/|%2F|g; s/=/%3D/g; s/&/%26/g; s/:/%3A/g; s/@/%40/g'; }

get hostname
case $? in
  0) hostname "$(cat /run/meta/hostname)"; hostname > /etc/hostname;;
  2) /sbin/sshup; exit 1;;
esac
# the SSH server, with the host key vcm made for this node (404: the image's own); the private key is root's alone
if (umask 077; get host-key); then
  /sbin/sshup /run/meta/host-key
  rm -f /run/meta/host-key
else
  /sbin/sshup
fi
if get authorized_keys; then
  mkdir -p /root/.ssh && chmod 700 /root /root/.ssh
  cp /run/meta/authorized_keys /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
fi
echo "$META" > /run/vcm/meta 2>/dev/null
# the image's set-up hooks (Debian: NFS, SSH between nodes, Slurm, the tenant's files), before the user script
# (a hook lists what failed in /run/vcm/setup.problems; one that exits non-zero is a problem too)
rm -f /run/vcm/setup.problems
for s in /etc/vcm/meta.d/*; do
  [ -x "$s" ] || continue
  META="$META" TOKEN="$TOKEN" "$s" || echo "${s##*/} exited $?" >> /run/vcm/setup.problems
done
rc=none
if get user-script; then
  sh /run/meta/user-script > /run/meta/user-script.log 2>&1
  rc=$?
  sed 's/^/[user-script] /' /run/meta/user-script.log
fi
echo "[meta] from $META: hostname=$(hostname) keys=$(grep -c . /root/.ssh/authorized_keys 2>/dev/null || echo 0) script_rc=$rc at $(up)s"

# Phone home, with the SSH host key (the public key line and its fingerprint, written by the image's init) for the
# caller to pin.
hostkey=$(cat /run/vcm/hostkey)
fp=$(cat /run/vcm/hostkey.fp)
body="hostname=$(enc "$(hostname)")&mac=$(enc "$MAC")&ip=$ip&uptime=$(up)&script_rc=$rc&hostkey=$(enc "$hostkey")&fingerprint=$(enc "$fp")"
# install at boot's outcome (Debian's 40-packages), already form-encoded
[ -f /run/vcm/packages.report ] && body="$body&$(cat /run/vcm/packages.report)"
# the set-up's problems, one a line, sent ";"-separated
[ -s /run/vcm/setup.problems ] && body="$body&setup_problems=$(enc "$(head -c 1000 /run/vcm/setup.problems | tr -c 'A-Za-z0-9 .,:_+=/()@%\n-' ' ' | tr '\n' ';')")"
if call /run/meta/phone-home "$META/v1/phone-home" "$body"; then
  echo "[phone-home] sent at $(up)s"
else
  echo "[phone-home] FAILED"
fi
