#!/usr/bin/env bash
# A throwaway single-node Ceph serving S3 on 127.0.0.1: a monitor, one in-memory OSD (memstore)
# and the RADOS Gateway, with one user. Started by test/servers/ceph.ts, which reads the line
# "READY <endpoint>" from stdout. The daemons run in the foreground as this script's children,
# and all die when this script's stdin closes (the test process stopping, or dying), so no
# cluster outlives its tests. The data folder is removed then.
#   usage: ceph-s3.sh DATA_DIR RGW_PORT MON_PORT ACCESS_KEY SECRET_KEY
set -euo pipefail
DIR=$1 RGW_PORT=$2 MON_PORT=$3 AK=$4 SK=$5
mkdir -p "$DIR"/{mon,osd0,rgw,log,run}
exec 3<&0
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
# The watcher: when our stdin closes, stop everything (also mid-start).
(read -r _ <&3 || true; kill -TERM $$ 2>/dev/null) &
trap 'exit 1' TERM

FSID=$(cat /proc/sys/kernel/random/uuid)
export CEPH_CONF="$DIR/ceph.conf"
cat >"$CEPH_CONF" <<CONF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public network = 127.0.0.0/8
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
chdir = ""
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd crush chooseleaf type = 0
mon allow pool delete = true
mon data avail crit = 0
mon data avail warn = 0
client mount timeout = 30
# Without these a monitor batches each change for a second: start takes 12 s instead of 2.
paxos propose interval = 0.01
paxos min wait = 0.001
[mon.a]
mon data = $DIR/mon
mon cluster log file = $DIR/log/mon-cluster.log
[osd.0]
osd data = $DIR/osd0
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-4294967296}
osd class load list = *
osd class default list = *
[client.rgw.0]
rgw data = $DIR/rgw
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw dns name = localhost
# radosgw's default "secure" monitor mode is impossible with auth none (it waits 300 s).
ms mon client mode = crc
rgw init timeout = 60
# How long a deleted object's data waits for the garbage collector (Ceph's defaults: 2 h, run
# hourly). The memstore OSD holds it in memory until then: a benchmark that writes and deletes
# 1 GiB objects sets these low, or the OSD fills and radosgw stops reading requests.
rgw gc obj min wait = ${CEPH_RGW_GC_MIN_WAIT:-7200}
rgw gc processor period = ${CEPH_RGW_GC_PERIOD:-3600}
CONF

monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-mon --id a --mkfs --monmap "$DIR/monmap" --keyring /dev/null
ceph-mon --id a -f &
pids+=($!)
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph osd new "$OSD_UUID")
ceph-osd --id "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" 2>>"$DIR/log/osd-mkfs.log"
ceph-osd --id "$OSD_ID" -f 2>>"$DIR/log/osd-stderr.log" &
pids+=($!)
radosgw -n client.rgw.0 -f 2>>"$DIR/log/rgw-stderr.log" &
rgw=$!
pids+=($rgw)
for _ in $(seq 1 600); do
  if (exec 4<>"/dev/tcp/127.0.0.1/$RGW_PORT") 2>/dev/null; then break; fi
  kill -0 "$rgw" 2>/dev/null || { echo "radosgw exited: $(tail -n 5 "$DIR"/log/*.log)" >&2; exit 1; }
  sleep 0.1
done
radosgw-admin user create --uid=test --display-name="Test User" --access-key="$AK" --secret-key="$SK" >/dev/null
echo "READY http://127.0.0.1:$RGW_PORT"
wait
