#!/bin/sh
# Run by init before it powers off or reboots: stop the services, then leave the root file system clean.
for s in /etc/vcm/stop.d/*; do [ -x "$s" ] && "$s"; done
kill -TERM -1 2>/dev/null; sleep 1
sync
mount -o remount,ro / 2>/dev/null
