#!/bin/busybox sh
# /init of the vcm `micro` guest (docs/guest-protocol.md). An initramfs guest: no disk, so every boot is a first
# boot. Kernel command line: vm.name=NODE [vm.meta=URL] [vm.probe=1]; the node's token comes as the fw_cfg item
# opt/vcm/token (never on a command line) and is kept in /run/vcm/token, readable by root only.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
arg() { for a in $(cat /proc/cmdline); do case "$a" in "$1="*) echo "${a#*=}"; return 0;; esac; done; return 1; }
up() { cut -d' ' -f1 /proc/uptime; }

# The KVM probe: the kernel booted and ran /init, which is all the probe asks. Power off at once.
if [ "$(arg vm.probe)" = 1 ]; then
  echo "VCM-PROBE-OK uptime=$(up)"
  poweroff -f
fi

mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /run/net /var/log /var/run /tmp
mount -t devpts devpts /dev/pts
echo "[init] started at uptime $(up)s"

# The virtio modules, in the order the image builder worked out from their dependencies.
while read -r m; do
  insmod "/lib/modules/$m.ko" || echo "[init] insmod $m failed"
done < /etc/vcm/modules
echo "[init] modules loaded at $(up)s"
mkdir -p /run/vcm
FW=/sys/firmware/qemu_fw_cfg/by_name/opt/vcm/token/raw
if [ -r $FW ]; then (umask 077; cat $FW > /run/vcm/token); else echo "[init] no node token (fw_cfg opt/vcm/token)"; fi

NAME=$(arg vm.name) || NAME=vm
hostname "$NAME"
ip link set lo up

# SSH: /sbin/netup starts dropbear (/sbin/sshup) once the metadata said whether vcm made the node's host key.

# NICs: each one that appears (at boot or hot-plugged) runs /sbin/netup. The kernel has no uevent helper, so
# listen on netlink; then scan for NICs that registered before the listener started (netup runs once per NIC).
uevent sh -c 'case "$SUBSYSTEM/$ACTION/$INTERFACE" in net/*/lo|net/*/) ;;
  net/add/*) /sbin/netup "$INTERFACE" & ;;
  net/remove/*) /sbin/netup -d "$INTERFACE";;
  esac; exit 0' &
for d in /sys/class/net/*; do n=${d##*/}; [ "$n" = lo ] || /sbin/netup "$n" & done
echo "[init] $NAME up at $(up)s; nics: $(ls /sys/class/net | grep -vx lo | tr '\n' ' ')"

# A shell on the serial console, for `vcm node console`.
while true; do setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'; sleep 1; done
