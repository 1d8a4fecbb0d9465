#!/bin/sh
# Starts apps/ops in a container (docker-compose.yml). Ops has no default token: OPS_TOKEN or
# OPS_TOKENS from the environment (.env) wins; otherwise a random token is generated once, kept
# in the ops-token volume (so it survives restarts), and printed, like `npm start` does.
# Alertmanager reads the same file to call POST /api/alerts.
set -eu
file=/run/ops/token
if [ -z "${OPS_TOKEN:-}" ] && [ -z "${OPS_TOKENS:-}" ]; then
  if [ ! -s "$file" ]; then
    node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))' > "$file"
    echo "ops: generated a console token (kept in the ops-token volume)"
  fi
  OPS_TOKEN=$(cat "$file")
  export OPS_TOKEN
  echo "ops: console http://localhost:3000  token: $OPS_TOKEN  (docker compose exec ops cat $file)"
elif [ -n "${OPS_TOKEN:-}" ]; then
  umask 077
  printf %s "$OPS_TOKEN" > "$file"
  chmod 644 "$file"
fi
exec node dist/apps/ops/main.js
