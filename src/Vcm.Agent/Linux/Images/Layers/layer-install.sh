#!/bin/sh
# Installs a package set into a copy of an image's root file system, inside a private mount namespace of its own
# (`unshare -m --propagation private`): every mount below, the loop device's included, goes away with this process
# even when it is killed, and no other process sees them or can pin the loop device.
# Arguments: RAW MNT DEBS STATUS_OUT PACKAGE=VERSION...
# The .debs are already in DEBS (downloaded by the host's apt); apt in the image installs them with no network,
# reading this machine's package index (bound read-only, never copied in). Only what the packages themselves
# change should differ from the parent, so the layer stays small: no journal while installing (it would fill 64 MB
# the parent has as zeros), no apt caches written, and freed blocks trimmed back to zeros before the end.
set -eu
raw=$1 mnt=$2 debs=$3 status=$4
shift 4
tune2fs -O ^has_journal "$raw" >/dev/null
mkdir -p "$mnt"
mount -o loop "$raw" "$mnt"
mount -t proc proc "$mnt/proc"
mount -t sysfs sys "$mnt/sys"
mount --rbind /dev "$mnt/dev"
mkdir -p "$mnt/var/cache/apt/archives" "$mnt/var/lib/apt/lists"
mount --bind "$debs" "$mnt/var/cache/apt/archives"
mount --bind /var/lib/apt/lists "$mnt/var/lib/apt/lists"
mount -o remount,bind,ro "$mnt/var/lib/apt/lists"
printf '#!/bin/sh\n# no daemon starts in an image being built\nexit 101\n' > "$mnt/usr/sbin/policy-rc.d"
chmod 755 "$mnt/usr/sbin/policy-rc.d"
rc=0
chroot "$mnt" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C \
  apt-get install -y -q --no-download --no-install-recommends \
  -o Debug::NoLocking=1 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o Dpkg::Use-Pty=0 "$@" || rc=$?
rm -f "$mnt/usr/sbin/policy-rc.d" "$mnt"/var/lib/dpkg/*-old "$mnt"/var/cache/debconf/*-old
cp "$mnt/var/lib/dpkg/status" "$status"
umount "$mnt/var/lib/apt/lists"
umount "$mnt/var/cache/apt/archives"
umount -R "$mnt/dev"
umount "$mnt/sys" "$mnt/proc"
fstrim "$mnt" || echo "layer-install: fstrim failed; the layer keeps freed blocks" >&2
umount "$mnt"
e2fsck -f -y "$raw" >/dev/null || [ $? -le 1 ]
tune2fs -O has_journal "$raw" >/dev/null
exit $rc
