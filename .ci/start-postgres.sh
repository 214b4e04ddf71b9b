#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL, creates the test database,
# and prints the URL to export as FINVEX_TEST_DATABASE_URL.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
if ! pg_lsclusters -h | grep -q .; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  pg_createcluster "$version" main >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -n1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $port -qtAc \"ALTER USER postgres PASSWORD 'finvex'\"" >/dev/null
# A fresh database every run: a schema left behind by an earlier run (or a
# developer's machine) must never decide the outcome.
su postgres -c "dropdb -p $port --if-exists --force finvex_test" >&2
su postgres -c "createdb -p $port finvex_test" >&2
echo "postgres://postgres:finvex@127.0.0.1:$port/finvex_test"
