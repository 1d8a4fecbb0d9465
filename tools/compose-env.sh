#!/bin/sh
# Writes .env for `docker compose up` from .env.example, with a fresh random value for every
# `change-me`. Never overwrites an existing .env (your passwords stay yours).
set -eu
cd "$(dirname "$0")/.."
if [ -f .env ]; then
  echo "compose-env: .env exists, left as it is"
  exit 0
fi
umask 077
while IFS= read -r line; do
  case "$line" in
    *=change-me)
      secret=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
      printf '%s=%s\n' "${line%%=*}" "$secret"
      ;;
    *) printf '%s\n' "$line" ;;
  esac
done < .env.example > .env
echo "compose-env: wrote .env with a random password for every account (keep it private)"
