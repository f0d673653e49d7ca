#!/usr/bin/env bash
# Builds the real Temporal server (go.temporal.io/server, cmd/server) and its SQL schema tool
# (cmd/tools/sql) from the Go module proxy into a cache directory, only when the binaries are missing.
# Used by the cluster test (npm run test:cluster); the embedded `npm start` never needs it.
#   TEMPORAL_SERVER_VERSION  module version (default v1.29.1)
#   TEMPORAL_SERVER_DIR      where the binaries go (default .tools/temporal-server-<version>)
# About 15 minutes and 2 GB of Go build cache on 2 cores; the server binary is about 130 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${TEMPORAL_SERVER_VERSION:-v1.29.1}
dir=${TEMPORAL_SERVER_DIR:-.tools/temporal-server-$version}
if [ -x "$dir/temporal-server" ] && [ -x "$dir/temporal-sql-tool" ]; then
  echo "$dir"
  exit 0
fi
command -v go >/dev/null || {
  echo "xinlian: Go (>= 1.23) is needed to build the Temporal server: install it from https://go.dev/dl or apt-get install golang" >&2
  exit 1
}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
echo "xinlian: building Temporal server $version into $dir (Go module proxy, about 15 minutes) ..." >&2
go mod init xinlian-temporal-build >/dev/null 2>&1
go get "go.temporal.io/server/cmd/server@$version" >&2
go get "go.temporal.io/server/cmd/tools/sql@$version" >&2
CGO_ENABLED=0 go build -o "$dir/temporal-server.tmp" go.temporal.io/server/cmd/server >&2
CGO_ENABLED=0 go build -o "$dir/temporal-sql-tool.tmp" go.temporal.io/server/cmd/tools/sql >&2
mv "$dir/temporal-sql-tool.tmp" "$dir/temporal-sql-tool"
mv "$dir/temporal-server.tmp" "$dir/temporal-server"
echo "$version" >"$dir/VERSION"
echo "$dir"
