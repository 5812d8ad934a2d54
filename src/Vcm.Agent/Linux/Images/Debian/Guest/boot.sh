#!/bin/sh
# /usr/lib/vcm/boot: the system's start in vcm's Debian images, run once by init (docs/guest-protocol.md).
# The file systems, the root grown to the node's disk, the hostname, and each NIC handed to /sbin/netup (DHCP,
# metadata, the SSH server with the host key vcm made or the node's own, the user script, phone-home). Programs
# busybox has and Debian's minimal base does not (udhcpc, wget, uevent) come from /usr/lib/vcm/bin.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/vcm/bin
up() { cut -d' ' -f1 /proc/uptime; }
arg() { for a in $(cat /proc/cmdline); do case "$a" in "$1="*) echo "${a#*=}"; return 0;; esac; done; return 1; }
mountpoint -q /proc || mount -t proc proc /proc
# other users' processes are hidden: root's wget calls carry the node's token in their arguments
mount -o remount,hidepid=invisible /proc || echo "[boot] /proc without hidepid"
mountpoint -q /sys || mount -t sysfs sys /sys
mkdir -p /dev/pts /dev/shm
mountpoint -q /dev/pts || mount -t devpts -o gid=5,mode=620 devpts /dev/pts
mountpoint -q /dev/shm || mount -t tmpfs -o mode=1777 shm /dev/shm
mountpoint -q /run || mount -t tmpfs -o mode=755,nosuid,nodev run /run
mkdir -p /run/net /run/vcm /run/sshd /run/lock
# cgroup v1 hierarchies as systemd would lay them out (Slurm's slurmd looks for them even when it does not use them)
if ! mountpoint -q /sys/fs/cgroup; then
  mount -t tmpfs -o mode=755,nosuid,nodev,noexec cgroup /sys/fs/cgroup
  for c in cpuset cpu,cpuacct memory devices freezer pids none,name=systemd; do
    d=/sys/fs/cgroup/${c#none,name=}
    mkdir -p "$d" && mount -t cgroup -o "$c" cgroup "$d" || echo "[boot] no cgroup $c"
  done
fi
echo "[boot] started at uptime $(up)s"

NAME=$(arg vm.name) || NAME=$(cat /etc/hostname)
hostname "$NAME"
ip link set lo up
resize2fs /dev/vda >/run/vcm/resize.log 2>&1 || echo "[boot] resize2fs failed: $(tail -1 /run/vcm/resize.log)"
for m in $(cat /etc/vcm/modules); do modprobe -q "$m" || echo "[boot] modprobe $m failed"; done
# the node's token: the fw_cfg item opt/vcm/token (never on a command line), kept readable by root only
FW=/sys/firmware/qemu_fw_cfg/by_name/opt/vcm/token/raw
if [ -r $FW ]; then (umask 077; cat $FW > /run/vcm/token); else echo "[boot] no node token (fw_cfg opt/vcm/token)"; fi

# SSH: /sbin/netup starts sshd (/sbin/sshup) once the metadata said whether vcm made the node's host key (else the
# key made on the node's first boot and kept on its disk); keys only, never a password.

for s in /etc/vcm/boot.d/*; do [ -x "$s" ] && "$s"; done

uevent sh -c 'case "$SUBSYSTEM/$ACTION/$INTERFACE" in net/*/lo|net/*/) ;;
  net/add/*) /sbin/netup "$INTERFACE" & ;;
  net/remove/*) /sbin/netup -d "$INTERFACE";;
  esac; exit 0' &
for d in /sys/class/net/*; do n=${d##*/}; [ "$n" = lo ] || /sbin/netup "$n" & done
echo "[boot] $NAME up at $(up)s; nics: $(ls /sys/class/net | grep -vx lo | tr '\n' ' ')"
