#!/usr/bin/env bash
# npm run test:cluster: Xinlian on a real Temporal server (PostgreSQL) with a three-member replica set,
# two workers and two APIs, then faults mid fan-out (test/cluster-real/cluster.cluster.ts).
# Installs what it needs through the project's own scripts: Debian's postgresql (apt, as root) and the
# Temporal server built from the Go module proxy (build-temporal-server.sh, cached, ~15 min the first time).
# Every server listens on a free port of 127.0.0.1. The report goes to $XINLIAN_CLUSTER_REPORT
# (default .data/cluster-report.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${XINLIAN_SKIP_CLUSTER:-0}" = "1" ]; then
  echo "xinlian: XINLIAN_SKIP_CLUSTER=1, the cluster test is skipped"
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "xinlian: installing Debian's postgresql for the cluster test (apt) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends postgresql >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql >/dev/null; }
  else
    echo "xinlian: the cluster test needs PostgreSQL's server binaries: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi
TEMPORAL_SERVER_DIR=$(bash infra/cluster/build-temporal-server.sh | tail -1)
export TEMPORAL_SERVER_DIR
exec npx jest -c jest.cluster.config.js "$@"
