#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh: the database and both media trees.
#
#   deploy/restore.sh BACKUP_DIR/<timestamp> --yes
#
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment. Stop the web,
# worker and beat services first (systemctl stop portal-web portal-worker portal-beat).
# The database's tables are dropped and re-created from the dump; the media directories are
# replaced by the archived ones (the old ones are kept beside them as *.before-restore).
set -euo pipefail

source_dir=${1:?usage: restore.sh BACKUP_DIR/<timestamp> --yes}
[ "${2:-}" = "--yes" ] || { echo "restore.sh overwrites the database and media; add --yes" >&2; exit 2; }
: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is not set}"

echo "restore: checking $source_dir"
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

echo "restore: database <- $source_dir/database.dump"
pg_restore --dbname="$DATABASE_URL" --clean --if-exists --no-owner --no-privileges \
  --single-transaction "$source_dir/database.dump"

for pair in "media:$MEDIA_ROOT" "private:$PRIVATE_MEDIA_ROOT"; do
  name=${pair%%:*}
  root=${pair%/}
  root=${root#*:}
  echo "restore: $root <- $source_dir/$name.tar.gz"
  staging="$root.restoring"
  rm -rf "$staging" && mkdir -p "$staging"
  tar -C "$staging" -xzf "$source_dir/$name.tar.gz"
  if [ -e "$root" ]; then
    rm -rf "$root.before-restore"
    mv "$root" "$root.before-restore"
  fi
  mv "$staging" "$root"
done
echo "restore: done. Start the services again; remove *.before-restore once all is well."
