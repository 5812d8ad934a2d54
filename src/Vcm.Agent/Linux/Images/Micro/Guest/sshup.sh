#!/bin/sh
# /sbin/sshup [KEY]: the micro guest's SSH server (dropbear, -s: keys only, never a password), started once per boot
# by /sbin/netup after the metadata said whether vcm made this node's host key (docs/guest-protocol.md): KEY is that
# key in OpenSSH's format, which dropbear does not read, so dropbearconvert turns it into dropbear's; without KEY (or
# one that does not convert) a new ed25519 key is made. Writes what the phone-home reports: the public key line
# (/run/vcm/hostkey) and its fingerprint (/run/vcm/hostkey.fp).
up() { cut -d' ' -f1 /proc/uptime; }
mkdir /run/vcm/sshup 2>/dev/null || exit 0            # once per boot: several NICs may get here
HK=/etc/dropbear/dropbear_ed25519_host_key
rm -f $HK
if [ -n "$1" ] && (umask 077; dropbearconvert openssh dropbear "$1" $HK >/dev/null 2>&1); then
  echo "[ssh] host key: the one vcm made for this node"
else
  [ -n "$1" ] && echo "[ssh] the host key vcm made does not convert; making one"
  rm -f $HK
  dropbearkey -t ed25519 -f $HK >/dev/null 2>&1 || echo "[ssh] dropbearkey failed"
fi
dropbear -s -r $HK -p 22 -P /run/dropbear.pid
dropbearkey -y -f $HK 2>/dev/null | grep '^ssh-' | cut -d' ' -f1,2 > /run/vcm/hostkey
dropbearkey -y -f $HK 2>/dev/null | grep -o 'SHA256:[^ ]*' > /run/vcm/hostkey.fp
echo "[ssh] dropbear on :22 at $(up)s, host key $(cat /run/vcm/hostkey.fp)"
