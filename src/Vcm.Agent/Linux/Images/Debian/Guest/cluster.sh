#!/bin/sh
# /etc/vcm/meta.d/50-cluster: the cluster set up among its nodes (docs/guest-protocol.md, "Cluster set-up"). netup
# runs it once the node knows who it is, before the tenant's script and the phone-home, so a node that reports Ready
# has the other nodes' names, root's key for SSH between them, /home from the head (and /shared), the tenant's
# files and, in a Slurm cluster, its Slurm daemon running. META and TOKEN come from netup.
log() { echo "[cluster] $* at $(up)s"; }
. /usr/lib/vcm/meta-lib.sh

mkdir -p /run/vcm
fetch cluster /run/vcm/cluster.env || exit 0
. /run/vcm/cluster.env
fetch nodes /run/vcm/nodes || { problem "no node list"; exit 0; }

# every node by name, beside the gateway's DNS (Slurm and MPI look names up often)
{
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n'
  while read -r name ip role cpus mem; do echo "$ip $name $name.$VCM_CLUSTER"; done < /run/vcm/nodes
} > /etc/hosts.vcm && mv /etc/hosts.vcm /etc/hosts

# root's key for SSH between the nodes; host keys come from the gateway (KnownHostsCommand, /usr/lib/vcm/known-hosts)
mkdir -p /root/.ssh && chmod 700 /root/.ssh
fetch node-key /root/.ssh/id_ecdsa && chmod 600 /root/.ssh/id_ecdsa

start_nfs_server() {
  modprobe -q nfsd
  mountpoint -q /proc/fs/nfsd || mount -t nfsd nfsd /proc/fs/nfsd
  mkdir -p /var/lib/nfs/v4recovery /run/rpcbind
  echo "/home $VCM_SUBNET(rw,sync,no_subtree_check,no_root_squash)" > /etc/exports
  [ "$1" = shared ] && echo "/shared $VCM_SUBNET(rw,sync,no_subtree_check,no_root_squash)" >> /etc/exports
  pidof rpcbind >/dev/null || rpcbind -w
  exportfs -ra || problem "exportfs failed"
  pidof rpc.mountd >/dev/null || rpc.mountd --no-nfs-version 3
  # NFSv4 only; a fresh server has no clients to wait for: the shortest grace period (90 s by default) and lease
  echo 10 > /proc/fs/nfsd/nfsv4gracetime 2>/dev/null
  echo 10 > /proc/fs/nfsd/nfsv4leasetime 2>/dev/null
  rpc.nfsd --no-nfs-version 3 8 || problem "the NFS server (rpc.nfsd) did not start"
}

# mount_from_head FOLDER: the head's export, tried for a few minutes (the head may boot later than this node)
mount_from_head() {
  mkdir -p "$1"
  n=0
  until mount -t nfs4 -o hard,proto=tcp "$VCM_HEAD_IP:$1" "$1" 2>/run/vcm/mount.err; do
    n=$((n + 1))
    [ $n -ge 150 ] && { problem "no $1 from $VCM_HEAD ($VCM_HEAD_IP) over NFS: $(cat /run/vcm/mount.err)"; return 1; }
    sleep 2
  done
  log "$1 from $VCM_HEAD over NFS"
}

if [ "$VCM_ROLE" = head ]; then
  shared=""
  if [ "$VCM_SHARED" = 1 ] && [ -b /dev/vdb ]; then
    blkid /dev/vdb >/dev/null 2>&1 || mkfs.ext4 -q -L vcm-shared /dev/vdb || problem "could not make a file system on the shared volume"
    mkdir -p /shared
    if mountpoint -q /shared || mount /dev/vdb /shared; then shared=shared; else problem "could not mount the shared volume on /shared"; fi
  fi
  start_nfs_server $shared
  log "/home${shared:+ and /shared} exported to $VCM_SUBNET"
elif [ -n "$VCM_HEAD_IP" ]; then
  modprobe -q nfsv4
  mountpoint -q /home || mount_from_head /home
  [ "$VCM_SHARED" = 1 ] && { mountpoint -q /shared || mount_from_head /shared; }
fi

# the tenant's files (the head only)
if [ "$VCM_FILES" -gt 0 ] && fetch files /run/vcm/files; then
  while read -r i mode path; do
    if mkdir -p "$(dirname "$path")" 2>/run/vcm/file.err && fetch "files/$i" "$path" 2>>/run/vcm/file.err && chmod "$mode" "$path"; then
      log "file $path"
    else
      problem "file $path could not be written: $(head -c 200 /run/vcm/file.err)"
    fi
  done < /run/vcm/files
fi

if [ "$VCM_SLURM" = 1 ]; then
  mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge /etc/slurm /var/spool/slurmd /var/spool/slurmctld /var/log/slurm
  fetch munge.key /etc/munge/munge.key || { problem "no munge key"; exit 0; }
  chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge
  chmod 700 /etc/munge && chmod 400 /etc/munge/munge.key
  pidof munged >/dev/null || start-stop-daemon --start --quiet --chuid munge --exec /usr/sbin/munged || problem "munged did not start"
  fetch slurm.conf /etc/slurm/slurm.conf || { problem "no slurm.conf"; exit 0; }
  chown slurm:slurm /var/spool/slurmctld /var/log/slurm
  if [ "$VCM_ROLE" = head ]; then
    pidof slurmctld >/dev/null || slurmctld || problem "slurmctld did not start: $(tail -n 3 /var/log/slurm/slurmctld.log)"
  else
    pidof slurmd >/dev/null || slurmd || problem "slurmd did not start: $(tail -n 3 /var/log/slurm/slurmd.log)"
  fi
  log "slurm: $([ "$VCM_ROLE" = head ] && echo controller || echo node) of $VCM_HEAD"
fi
exit 0
