#!/usr/bin/env bash
# Installs the PostgreSQL server binaries that the peer benchmark (P8, bench-8-peers) needs
# for graphile-worker: Debian's `postgresql` package, when no /usr/lib/postgresql/<ver>/bin
# holds initdb and pg_ctl yet. The bench starts and removes a cluster of its own in a
# temporary directory (as the `postgres` user when run as root); this script starts no
# server. Without these binaries P8 still runs, skipping graphile-worker with a message.
#
#   bash bench/tools/setup-postgres.sh      (as root, or with sudo available)
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
  echo "PostgreSQL binaries present: $(ls -d /usr/lib/postgresql/*/bin | tr '\n' ' ')"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
"${as_root[@]}" apt-get update -qq
# Debian's package starts a cluster of its own on install where a service manager runs;
# the bench does not use it.
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq postgresql >/dev/null
ls -d /usr/lib/postgresql/*/bin
