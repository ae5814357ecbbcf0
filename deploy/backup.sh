#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media files (public and private).
#
#   deploy/backup.sh [BACKUP_DIR]
#
# Reads DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment (e.g.
# `set -a; . /etc/portal/portal.env; set +a`). Writes BACKUP_DIR/<UTC timestamp>/ with
# database.dump, media.tar.gz, private.tar.gz and SHA256SUMS; deletes backups older than
# BACKUP_KEEP_DAYS (default 14). Safe while the portal runs: pg_dump reads one consistent
# snapshot; files are only ever added or replaced, so a file written during the copy is
# simply in the next backup.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
: "${PRIVATE_MEDIA_ROOT:?PRIVATE_MEDIA_ROOT is not set}"
BACKUP_DIR=${1:-${BACKUP_DIR:-/var/backups/portal}}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/$stamp"
umask 077  # backups hold personal data and every unit's private files
mkdir -p "$target"

echo "backup: database -> $target/database.dump"
pg_dump --dbname="$DATABASE_URL" --format=custom --no-owner --no-privileges \
  --file="$target/database.dump"

for pair in "media:$MEDIA_ROOT" "private:$PRIVATE_MEDIA_ROOT"; do
  name=${pair%%:*}
  root=${pair#*:}
  echo "backup: $root -> $target/$name.tar.gz"
  if [ -d "$root" ]; then
    tar -C "$root" -czf "$target/$name.tar.gz" .
  else
    tar -czf "$target/$name.tar.gz" -T /dev/null  # nothing yet: an empty archive
  fi
done

(cd "$target" && sha256sum database.dump media.tar.gz private.tar.gz > SHA256SUMS)
echo "backup: done $target"

if [ "$KEEP_DAYS" -gt 0 ]; then
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -mtime +"$KEEP_DAYS" \
    -exec rm -rf {} + -exec echo "backup: removed old {}" \;
fi
