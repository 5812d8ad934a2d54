#!/bin/sh
# udhcpc hook of the `micro` guest: address, default route, MTU and DNS from the lease; the lease is saved for
# /sbin/netup.
case "$1" in
  deconfig)
    ip addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    [ -n "$mtu" ] && ip link set dev "$interface" mtu "$mtu"
    if ! ip -4 addr show dev "$interface" | grep -q "inet $ip/"; then
      ip addr flush dev "$interface"
      ip addr add "$ip/${mask:-24}" dev "$interface"
    fi
    if [ -n "$router" ]; then
      ip route del default 2>/dev/null
      ip route add default via "${router%% *}" dev "$interface"
    fi
    if [ -n "$dns" ]; then
      { [ -n "$domain" ] && echo "search $domain"; for d in $dns; do echo "nameserver $d"; done; } > /etc/resolv.conf
    fi
    echo "ip=$ip mask=${mask:-24} router=${router%% *} serverid=$serverid mtu=$mtu lease=$lease" > "/run/net/$interface.lease"
    ;;
esac
exit 0
