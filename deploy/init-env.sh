#!/bin/sh
# Writes deploy/.env from deploy/.env.example with fresh secrets (BOT_SECRET_KEY, TELEGRAM_WEBHOOK_SECRET,
# TELEGRAM_WEBHOOK_PATH, POSTGRES_PASSWORD); an existing deploy/.env is left alone (its key seals the database).
# Needs only a POSIX shell, od and base64 (coreutils).
set -eu
cd "$(dirname "$0")"
if [ -e .env ]; then
  echo "deploy/.env exists: left as it is (its BOT_SECRET_KEY seals the data in the database)" >&2
  exit 0
fi
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
umask 077
sed -e "s|^BOT_SECRET_KEY=.*|BOT_SECRET_KEY=$key|" \
    -e "s|^TELEGRAM_WEBHOOK_SECRET=.*|TELEGRAM_WEBHOOK_SECRET=$(hex 32)|" \
    -e "s|^TELEGRAM_WEBHOOK_PATH=.*|TELEGRAM_WEBHOOK_PATH=$(hex 12)|" \
    -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(hex 24)|" \
    .env.example > .env.tmp
mv .env.tmp .env
echo "deploy/.env written (mode 600) with fresh secrets: fill in TELEGRAM_BOT_TOKEN and BOT_PUBLIC_HOST and/or DISCORD_BOT_TOKEN"
