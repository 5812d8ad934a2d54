#!/bin/sh
# /etc/vcm/meta.d/40-packages: the packages this node installs at boot (docs/guest-protocol.md, "Packages at boot"),
# from the site's package repository through the gateway (its /apt: the Debian archive's own InRelease and indexes,
# checked with debian-archive-keyring). netup runs it before 50-cluster and the phone-home, so a node that reports
# Ready has them; the outcome (apt's exit code, how many packages, how long, apt's first error) goes into the report.
log() { echo "[packages] $* at $(up)s"; }
. /usr/lib/vcm/meta-lib.sh

installed() { dpkg-query -W -f '${db:Status-Abbrev}\n' 2>/dev/null | grep -c '^ii'; }
# report RC COUNT SECONDS ERROR: what netup adds to the phone-home
report() {
  err=$(printf '%s' "$4" | tr -c 'A-Za-z0-9 .,:_+=/-' ' ' | cut -c1-200 | sed 's/%/%25/g; s/ /%20/g; s/:/%3A/g; s/+/%2B/g; s/=/%3D/g; s|/|%2F|g')
  echo "install_rc=$1&install_count=$2&install_seconds=$3&install_error=$err" > /run/vcm/packages.report
}

mkdir -p /run/vcm
fetch packages /run/vcm/packages || exit 0
packages=$(tr '\n' ' ' < /run/vcm/packages)
start=$(up)
if ! fetch apt-sources /etc/apt/sources.list.d/vcm.list; then
  report 1 0 0 "the gateway serves no package repository"
  log "FAILED: the gateway serves no package repository"
  exit 0
fi
# only the site's repository: the image's own sources name mirrors a node cannot reach
rm -f /etc/apt/sources.list.d/debian.sources
: > /etc/apt/sources.list
before=$(installed)
log "installing $packages from $META/apt"
printf '#!/bin/sh\n# daemons are started by vcm'"'"'s hooks, not by package scripts\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
rc=0
{ apt-get update -q -o Acquire::Languages=none -o Acquire::Retries=3 \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o Acquire::Retries=3 \
     -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold -o Dpkg::Use-Pty=0 $packages; } > /run/vcm/apt.log 2>&1 || rc=$?
rm -f /usr/sbin/policy-rc.d
apt-get clean
seconds=$(awk -v a="$start" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }')
count=$(( $(installed) - before ))
report "$rc" "$count" "$seconds" "$(grep -m1 '^E: ' /run/vcm/apt.log)"
if [ "$rc" = 0 ]; then
  log "installed $count packages for $packages in ${seconds}s"
else
  log "FAILED (apt exit $rc) after ${seconds}s"
  tail -n 15 /run/vcm/apt.log | sed 's/^/[packages] /'
fi
exit 0
