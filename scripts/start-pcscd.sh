#!/usr/bin/env bash
# Make sure pcscd (pcsc-lite) runs on this machine with vpcd's virtual reader, for the PC/SC reader
# tests (tests/hardware, rig "pcsc": pyscard -> pcscd -> vpcd -> hardware/sim/vpcd_card.py).
# Idempotent: does nothing when pcscd already answers. No systemd here (CI containers): pcscd runs
# in the foreground as a background job of this script, without --auto-exit so it stays up between
# test modules, logging to $PCSCD_LOG. vpcd's reader.conf (/etc/reader.conf.d/vpcd) makes it listen
# on 127.0.0.1:35963 (slot 0, "Virtual PCD 00 00") and 35964 (slot 1) for a virtual card to connect.
set -euo pipefail
log=${PCSCD_LOG:-/tmp/pcscd.log}
sock=/run/pcscd/pcscd.comm
if ! command -v pcscd >/dev/null 2>&1; then
  echo "start-pcscd: pcscd is not installed (scripts/setup.sh installs it)" >&2; exit 1
fi
if [ -S "$sock" ]; then
  # Running, or started on demand by systemd's pcscd.socket (a developer's machine): leave it be.
  # (A pcscd that was running before vsmartcard-vpcd was installed needs a restart to load vpcd.)
  if pgrep -x pcscd >/dev/null 2>&1 || systemctl is-active --quiet pcscd.socket 2>/dev/null; then
    exit 0
  fi
fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
# A stale socket from a killed pcscd would make clients wait on nothing.
$sudo rm -f "$sock"
$sudo sh -c "nohup pcscd --foreground --info >'$log' 2>&1 &"
for _ in $(seq 1 50); do [ -S "$sock" ] && exit 0; sleep 0.1; done
echo "start-pcscd: pcscd did not come up (see $log)" >&2
exit 1
