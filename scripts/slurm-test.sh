#!/usr/bin/env bash
# End-to-end test of `listetak slurm -submit` on a real one-node Slurm
# cluster on localhost: installs Debian's slurm-wlm and munge, starts munged,
# slurmctld and slurmd by hand (no systemd), runs a small experiment as a
# 4-task job array plus the dependent merge job, and checks the merged
# results equal a local single-process run. It cleans up after itself. If
# Slurm cannot start, it says so loudly and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d /tmp/listetak-slurm.XXXXXX)
pids=()

fail() { echo "SLURM TEST FAILED: $*" >&2; exit 1; }

cleanup() {
  set +e
  [ -n "${jobs_submitted:-}" ] && scancel $jobs_submitted 2>/dev/null
  for pid in "${pids[@]}"; do
    comm=$(cat /proc/$pid/comm 2>/dev/null)
    case "$comm" in munged|slurmctld|slurmd) kill "$pid" 2>/dev/null;; esac
  done
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

alive() { # a zombie counts as dead
  local st
  st=$(awk '{print $3}' /proc/$1/stat 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

# 1. Install without letting the packages start daemons.
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  had_policy=""
  if [ -e /usr/sbin/policy-rc.d ]; then had_policy=$(mktemp); cp -p /usr/sbin/policy-rc.d "$had_policy"; fi
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null || fail "apt-get install slurm-wlm munge"
  if [ -n "$had_policy" ]; then mv "$had_policy" /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
fi

# 2. munge, running as the munge user with its key.
mkdir -p /run/munge /etc/munge /var/lib/munge /var/log/munge
[ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0400 /etc/munge/munge.key
runuser -u munge -- munged --force || fail "munged did not start"
sleep 0.5
pids+=("$(pgrep -n -x munged)")
munge -n | unmunge >/dev/null || fail "munge does not work"

# 3. A one-node cluster on 127.0.0.1.
host=$(hostname -s)
node=$(slurmd -C | head -1 | sed "s/NodeName=[^ ]*/NodeName=$host NodeAddr=127.0.0.1/")
mkdir -p /etc/slurm "$work/spool/ctld" "$work/spool/d" "$work/log"
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=listetak-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$work/spool/ctld
SlurmdSpoolDir=$work/spool/d
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
ReturnToService=2
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i || fail "slurmctld did not start ($(tail -5 $work/log/slurmctld.log 2>/dev/null))"
sleep 1
pids+=("$(cat $work/slurmctld.pid)")
slurmd || fail "slurmd did not start ($(tail -5 $work/log/slurmd.log 2>/dev/null))"
sleep 1
pids+=("$(cat $work/slurmd.pid)")
for pid in "${pids[@]}"; do alive "$pid" || fail "a Slurm daemon died: $(tail -5 $work/log/*.log)"; done
for _ in $(seq 30); do
  sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix)' && break
  sleep 1
done
sinfo -h -o %t | grep -qE '^(idle|mix)' || fail "the node never became idle: $(sinfo 2>&1)"

# 4. A small experiment through listetak slurm -submit.
go build -o "$work/listetak" ./cmd/listetak
cat > "$work/e.yaml" <<YAML
world: $repo/cmd/listetak/testdata/world
years: 5
replications: 12
seed: 4
scenarios: [baseline, 1aix]
YAML
"$work/listetak" slurm "$work/e.yaml" -shards 4 -out "$work/res" -cpus 1 -mem 200M -time 00:05:00 -submit | tee "$work/submit.txt"
jobs_submitted=$(sed -n 's/^submitted array job \([0-9]*\) and merge job \([0-9]*\).*/\1 \2/p' "$work/submit.txt")
[ -n "$jobs_submitted" ] || fail "no jobs submitted"
merge_id=${jobs_submitted#* }
for _ in $(seq 120); do
  [ -z "$(squeue -h -j "$merge_id" 2>/dev/null)" ] && break
  sleep 1
done
state=$(scontrol show job "$merge_id" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
[ "$state" = COMPLETED ] || fail "merge job $merge_id ended $state: $(cat $work/res/slurm/*.out 2>/dev/null | tail -20)"

# 5. The merged results equal a local single-process run.
"$work/listetak" run "$work/e.yaml" -out "$work/local" -progress never >/dev/null
for f in replications.csv summary.csv distribution.csv; do
  cmp -s "$work/res/$f" "$work/local/$f" || fail "$f differs between the Slurm run and a local run"
done
echo "slurm test: 4-task array + merge on a one-node cluster equals the local run"
