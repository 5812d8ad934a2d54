#!/bin/sh
# /usr/lib/vcm/known-hosts: OpenSSH's KnownHostsCommand on vcm's Debian nodes: the host keys the cluster's nodes
# reported to the gateway when they phoned home, from the metadata service (docs/guest-protocol.md).
META=$(cat /run/vcm/meta 2>/dev/null) || exit 0
for a in $(cat /proc/cmdline); do case "$a" in vm.token=*) TOKEN=${a#*=};; esac; done
# (no wget -T: Debian's busybox wget crashes with it)
exec timeout 10 /usr/lib/vcm/bin/wget -q -O - --header "X-Vcm-Token: $TOKEN" "$META/v1/self/known_hosts"
