#!/usr/bin/env bash
# Installs, from Debian's packages, whatever the local stack needs and the machine lacks:
# redis-server, prometheus (with promtool), a Java 17 runtime and Maven. Safe to run again.
set -euo pipefail

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v prometheus >/dev/null && command -v promtool >/dev/null || need+=(prometheus)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "tracenet needs these Debian packages: ${need[*]}; install them as root (apt-get install ${need[*]})." >&2
    exit 2
  fi
fi
echo "Installing from Debian's packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts these as system services where an init system runs; tracenet runs its own.
for svc in redis-server prometheus; do
  if command -v service >/dev/null && service "$svc" status >/dev/null 2>&1; then
    "${as_root[@]}" service "$svc" stop >/dev/null 2>&1 || true
  fi
done
