#!/bin/busybox sh
# /init of the initramfs of vcm's Debian images (docs/guest-protocol.md): load the virtio modules, mount the node's
# disk (/dev/vda, ext4, the whole disk) as the root and hand over to the system's init (busybox init, /etc/inittab).
# Kernel command line: vm.name=NODE [vm.meta=URL] [vm.probe=1] (the token comes by fw_cfg: see /usr/lib/vcm/boot).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
arg() { for a in $(cat /proc/cmdline); do case "$a" in "$1="*) echo "${a#*=}"; return 0;; esac; done; return 1; }
up() { cut -d' ' -f1 /proc/uptime; }
fail() { echo "[stage1] $*; powering off"; sleep 2; poweroff -f; }

if [ "$(arg vm.probe)" = 1 ]; then
  echo "VCM-PROBE-OK uptime=$(up)"
  poweroff -f
fi

mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r m; do
  insmod "/lib/modules/$m.ko" || echo "[stage1] insmod $m failed"
done < /etc/vcm/modules

n=0
until [ -b /dev/vda ]; do
  n=$((n + 1)); [ $n -ge 100 ] && fail "no disk /dev/vda"
  usleep 100000
done
mkdir -p /newroot
mount -t ext4 -o rw,noatime /dev/vda /newroot || fail "could not mount /dev/vda"
[ -x /newroot/usr/lib/vcm/boot ] || fail "/dev/vda holds no vcm Debian system"
echo "[stage1] root mounted at $(up)s"
mount --move /dev /newroot/dev
umount /sys
umount /proc
exec switch_root /newroot /bin/busybox init
