#!/bin/sh
# /sbin/sshup [KEY]: a Debian node's SSH server (OpenSSH's sshd, keys only), started once per boot by /sbin/netup
# after the metadata said whether vcm made this node's host key (docs/guest-protocol.md): KEY is that key (OpenSSH's
# format), installed over whatever the disk holds; without KEY, the key made on the node's first boot and kept on its
# disk. Writes what the phone-home reports: the public key line (/run/vcm/hostkey) and its fingerprint (hostkey.fp).
up() { cut -d' ' -f1 /proc/uptime; }
mkdir /run/vcm/sshup 2>/dev/null || exit 0            # once per boot: several NICs may get here
HK=/etc/ssh/ssh_host_ed25519_key
if [ -n "$1" ] && ssh-keygen -y -f "$1" > /run/vcm/given.pub 2>/dev/null; then
  (umask 077; cp "$1" $HK.new) && mv $HK.new $HK && mv /run/vcm/given.pub $HK.pub
  echo "[ssh] host key: the one vcm made for this node"
else
  [ -n "$1" ] && echo "[ssh] the host key vcm made does not read; keeping the node's own"
  rm -f /run/vcm/given.pub
  [ -s $HK ] || ssh-keygen -q -t ed25519 -N '' -C "root@$(hostname)" -f $HK
fi
cut -d' ' -f1,2 $HK.pub > /run/vcm/hostkey
ssh-keygen -l -f $HK.pub | cut -d' ' -f2 > /run/vcm/hostkey.fp
/usr/sbin/sshd || echo "[ssh] sshd did not start"
echo "[ssh] sshd on :22 at $(up)s, host key $(cat /run/vcm/hostkey.fp)"
