#!/usr/bin/env bash
# Checks the deployment files in deploy/ with the tools that read them (run by .ci/run; a few seconds):
#   - deploy/prometheus/rules.yml: `promtool check rules`, and its unit tests `promtool test rules rules_test.yml`
#   - deploy/grafana/nemobot.json: every panel's PromQL, as recording rules through `promtool check rules`
#   - deploy/prometheus/prometheus.yml: `promtool check config`
#   - deploy/nemobot.service: `systemd-analyze verify`, which must print nothing
#   - deploy/compose.yaml: `docker compose config` (or Debian's docker-compose), and deploy/Caddyfile:
#     `caddy validate`, when installed (skipped, saying so, otherwise: neither is needed by the build)
# Missing promtool or systemd-analyze are installed from Debian's packages (prometheus, systemd) as .ci/postgres.sh
# installs PostgreSQL; where they cannot be, this fails. That the metric names in the rules and the dashboard are
# the bot's own is checked by bot-app's DeployMetricsTest (part of ./mvnw verify).
set -euo pipefail
cd "$(dirname "$0")/.."

deploy_install() { # package...
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  command -v apt-get >/dev/null 2>&1 || { echo "ERROR: $* needed to check deploy/, and apt-get is not available" >&2; return 1; }
  echo "Installing Debian's $* for the deploy/ checks..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

command -v promtool >/dev/null 2>&1 || deploy_install prometheus
command -v systemd-analyze >/dev/null 2>&1 || deploy_install systemd

tmp=$(mktemp -d /tmp/nemobot-deploy-checks.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "deploy/prometheus: promtool $(promtool --version 2>&1 | head -n 1 | awk '{print $3}')"
promtool check rules deploy/prometheus/rules.yml
promtool test rules deploy/prometheus/rules_test.yml
promtool check config --syntax-only deploy/prometheus/prometheus.yml

# The dashboard's expressions, one per line in the JSON ("expr": "..."), with Grafana's variables given values
{
  echo "groups:"
  echo "  - name: dashboard"
  echo "    rules:"
  n=0
  grep -o '"expr": "\([^"\\]\|\\.\)*"' deploy/grafana/nemobot.json \
    | sed -e 's/^"expr": "//' -e 's/"$//' -e 's/\\"/"/g' -e 's/\\\\/\\/g' \
          -e 's/\$__rate_interval/5m/g' -e 's/\$instance/.*/g' \
    | while IFS= read -r expr; do
        n=$((n + 1))
        printf "      - record: dashboard:expr%d\n        expr: '%s'\n" "$n" "${expr//\'/\'\'}"
      done
} > "$tmp/dashboard-rules.yml"
count=$(grep -c 'record:' "$tmp/dashboard-rules.yml" || true)
[ "$count" -gt 0 ] || { echo "ERROR: no expression found in deploy/grafana/nemobot.json" >&2; exit 1; }
echo "deploy/grafana/nemobot.json: $count expressions"
promtool check rules "$tmp/dashboard-rules.yml"

out=$(systemd-analyze verify deploy/nemobot.service 2>&1) || { echo "$out" >&2; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify deploy/nemobot.service warned:" >&2; echo "$out" >&2; exit 1; }
echo "deploy/nemobot.service: systemd-analyze verify $(systemd-analyze --version | head -n 1 | awk '{print $2}'): no warning"

if docker compose version >/dev/null 2>&1; then
  cp deploy/.env.example "$tmp/env"
  sed -i -e 's/^BOT_SECRET_KEY=.*/BOT_SECRET_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' -e 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=x/' "$tmp/env"
  docker compose -f deploy/compose.yaml --env-file "$tmp/env" config --quiet
  echo "deploy/compose.yaml: docker compose config: valid"
elif command -v docker-compose >/dev/null 2>&1; then
  # Compose v1 (Debian's docker-compose) knows no top-level name: checked without it, in deploy/ for the paths
  cp deploy/.env.example "$tmp/env"
  sed -i -e 's/^BOT_SECRET_KEY=.*/BOT_SECRET_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=/' -e 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=x/' "$tmp/env"
  v1=$(mktemp deploy/.compose-check.XXXXXX.yaml)
  trap 'rm -rf "$tmp" "$v1"' EXIT
  sed '/^name: /d' deploy/compose.yaml > "$v1"
  docker-compose -f "$v1" --env-file "$tmp/env" config --quiet
  echo "deploy/compose.yaml: docker-compose $(docker-compose version --short) config: valid"
else
  echo "deploy/compose.yaml: not checked (no docker compose or docker-compose on this machine)"
fi
if command -v caddy >/dev/null 2>&1; then
  caddy validate --config deploy/Caddyfile --adapter caddyfile >/dev/null 2>"$tmp/caddy.log" \
    || { cat "$tmp/caddy.log" >&2; exit 1; }
  echo "deploy/Caddyfile: caddy validate $(caddy version | awk '{print $1}'): valid"
else
  echo "deploy/Caddyfile: not checked (no caddy on this machine)"
fi
# The image and the compose stack are run by deploy/test.sh (also from .ci/run), which starts a Docker engine itself.
