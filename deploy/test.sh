#!/usr/bin/env bash
# Runs the deployment for real, on this machine's Docker engine and Debian's packages only (no container registry):
#   1. a Docker engine: `docker info`, else dockerd started here (docker.io installed from Debian when missing);
#      none can run: one line saying why, exit 0
#   2. local base images, built once and then cached by tag: a Debian 13 rootfs from debootstrap (--variant=minbase)
#      with openjdk-21-jre-headless, `docker import`ed as nemobot-test/jre:21, and the same with postgresql-17,
#      caddy, prometheus, and python3 (this test's fake Telegram Bot API)
#   3. the bot's image from deploy/Dockerfile with --build-arg BASE=nemobot-test/jre:21 (its size is printed)
#   4. `--demo` in that image: the MP4 on the mounted volume
#   5. deploy/compose.yaml with those images (deploy/test/compose.test.yaml adds the fake Bot API and the NemoVideo
#      simulator): both instances healthy (time from `up` measured), a Telegram update posted to the proxy answered
#      once, bot-a killed and the updates posted after it answered once each by bot-b, Prometheus scraping both
#      instances and evaluating the rules
# Only loopback ports are published (127.0.0.1); containers and volumes are removed at the end, the images kept.
# Settings: NEMOBOT_TEST_MIRROR (a Debian mirror serving trixie; default: this machine's apt source),
# NEMOBOT_TEST_PORT_BASE (default 18000: proxy on +80/+443, Prometheus on +90, the fake Bot API on +81).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start_all=$(date +%s)

say() { printf 'deploy/test.sh: %s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
secs() { echo $(( $(date +%s) - $1 )); }
# poll CMD... until it succeeds, at most $1 seconds (a short pause between tries)
until_ok() {
  local limit=$1 t0
  shift
  t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    [ "$(secs "$t0")" -lt "$limit" ] || return 1
    sleep 0.5
  done
}
apt_install() { # package...
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  command -v apt-get >/dev/null 2>&1 || return 1
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
}

work=$(mktemp -d /tmp/nemobot-deploy-test.XXXXXX)
started_dockerd=""
project=nemobot-test
compose_ready=""
dockerd_gone() { ! kill -0 "$started_dockerd" 2>/dev/null; }
cleanup() {
  local rc=$?
  if [ -n "$compose_ready" ]; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  docker rm -f nemobot-test-demo >/dev/null 2>&1 || true
  docker volume rm nemobot-test-demo >/dev/null 2>&1 || true
  if [ -n "$started_dockerd" ]; then
    # stopped, and waited for (at most 30 s): it stops its containerd too
    kill "$started_dockerd" 2>/dev/null || true
    until_ok 30 dockerd_gone || true
  fi
  rm -rf "$work" "${v1file:-}"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
trap 'say "FAILED at line $LINENO (exit status $?)" >&2' ERR

# --- 1. the engine ----------------------------------------------------------------------------------------------
# engine: true when an engine answers (started here if needed: started_dockerd is its pid); else why_not says why
why_not=""
engine() {
  docker info >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || { why_not="no Docker engine answers, and starting dockerd needs root"; return 1; }
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io || { why_not="no Docker engine, and Debian's docker.io could not be installed"; return 1; }
  fi
  local log=/var/log/nemobot-test-dockerd.log opts
  for opts in "" "--iptables=false --ip6tables=false --storage-driver=vfs"; do
    # shellcheck disable=SC2086 # opts is a list of flags
    setsid dockerd $opts >"$log" 2>&1 < /dev/null &
    started_dockerd=$!
    if until_ok 30 docker info; then
      say "started dockerd${opts:+ $opts} (log: $log)"
      return 0
    fi
    kill "$started_dockerd" 2>/dev/null || true
    wait "$started_dockerd" 2>/dev/null || true
    started_dockerd=""
  done
  why_not="dockerd does not start: $(grep -m1 -iE 'level=(fatal|error)|failed' "$log" || tail -n1 "$log")"
  return 1
}
if ! engine; then
  say "image and compose stack not tested: $why_not"
  exit 0
fi
docker_version=$(docker version --format '{{.Server.Version}}')

# A BuildKit build (deploy/Dockerfile uses COPY --chmod): `docker build` where buildx is installed (Docker 23+),
# else an older client's own BuildKit (DOCKER_BUILDKIT=1), e.g. Debian 12's docker.io client /usr/bin/docker.
build() {
  if docker buildx version >/dev/null 2>&1; then
    docker build "$@"
    return
  fi
  local c v
  for c in docker /usr/bin/docker; do
    command -v "$c" >/dev/null 2>&1 || continue
    v=$("$c" version --format '{{.Client.Version}}' 2>/dev/null || echo 99)
    if [ "${v%%.*}" -lt 23 ] 2>/dev/null; then
      DOCKER_BUILDKIT=1 "$c" build "$@"
      return
    fi
  done
  fail "no BuildKit builder: install docker-buildx (Docker 23+) or use a Docker 20.10 client"
}

# Compose v2, else Debian 12's docker-compose (v1), which knows no top-level `name:` (the project name is given)
v1file=""
compose_files=()
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
  compose_files=(-f deploy/compose.yaml)
else
  command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose \
    || fail "neither docker compose nor docker-compose (Debian's docker-compose could not be installed)"
  compose_cmd=(docker-compose)
  v1file=$(mktemp deploy/.compose-test.XXXXXX.yaml)
  sed '/^name: /d' deploy/compose.yaml > "$v1file"
  compose_files=(-f "$v1file")
fi
compose_files+=(-f deploy/test/compose.test.yaml)
compose() { "${compose_cmd[@]}" -p "$project" --env-file "$work/env" "${compose_files[@]}" "$@"; }

# --- 2. the base images -----------------------------------------------------------------------------------------
suite=trixie
mirror=${NEMOBOT_TEST_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
  /etc/apt/sources.list.d/*.sources 2>/dev/null | tr -s ' \t' '\n' | grep -m1 -E '^https?://.+/debian/?$' || true)}
mirror=${mirror:-http://deb.debian.org/debian}
cache=/var/cache/nemobot-test/debs
images_t0=$(date +%s)
built_any=""

# rootfs_image TAG PACKAGES HOOK CHANGE...: debootstrap trixie (minbase) with PACKAGES, HOOK DIR run on the rootfs,
# apt's lists and caches and the docs removed, then `docker import` with the CHANGEs. Skipped when TAG exists.
rootfs_image() {
  local tag=$1 packages=$2 hook=$3 dir t0 args=()
  shift 3
  docker image inspect "$tag" >/dev/null 2>&1 && return 0
  if [ -z "$built_any" ]; then
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap || fail "debootstrap is missing and could not be installed"
    curl -fsS -o /dev/null "$mirror/dists/$suite/Release" || fail "$mirror does not serve Debian $suite"
    mkdir -p "$cache"
    built_any=1
  fi
  t0=$(date +%s)
  dir=$work/rootfs
  rm -rf "$dir"
  debootstrap --variant=minbase --include="$packages" --cache-dir="$cache" "$suite" "$dir" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap of $tag"; }
  "$hook" "$dir"
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/* \
    "$dir"/usr/share/info/* "$dir"/var/log/*.log "$dir"/var/cache/debconf/*-old
  for c in "$@"; do args+=(--change "$c"); done
  tar -C "$dir" --numeric-owner -c . | docker import "${args[@]}" - "$tag" >/dev/null
  rm -rf "$dir"
  say "$tag: debootstrap $suite + $packages, imported in $(secs "$t0") s"
}
no_hook() { :; }
pg_hook() {
  # the cluster the package made is not used: the entrypoint makes one in the volume
  rm -rf "$1"/var/lib/postgresql/17 "$1"/etc/postgresql/17
  install -m 0755 deploy/test/postgres-entrypoint.sh "$1"/usr/local/bin/postgres-entrypoint
  chroot "$1" install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
  chroot "$1" install -d -o postgres -g postgres -m 2775 /var/run/postgresql
}
prom_hook() {
  chroot "$1" install -d -o prometheus -g prometheus -m 0755 /prometheus
}
caddy_hook() { mkdir -p "$1"/config "$1"/data "$1"/srv; }
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
jre_image=nemobot-test/jre:21
pg_image=nemobot-test/postgres:17
caddy_image=nemobot-test/caddy:2
prom_image=nemobot-test/prometheus:2
tools_image=nemobot-test/python:3
rootfs_image "$jre_image" openjdk-21-jre-headless no_hook "ENV PATH=$path" 'CMD ["/bin/sh"]'
rootfs_image "$pg_image" postgresql-17 pg_hook "ENV PATH=/usr/lib/postgresql/17/bin:$path" \
  "ENV PGDATA=/var/lib/postgresql/data" "USER postgres" "VOLUME /var/lib/postgresql/data" \
  'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]'
rootfs_image "$caddy_image" caddy,ca-certificates caddy_hook "ENV PATH=$path" "ENV XDG_CONFIG_HOME=/config" \
  "ENV XDG_DATA_HOME=/data" "WORKDIR /srv" \
  'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]'
rootfs_image "$prom_image" prometheus prom_hook "ENV PATH=$path" "USER prometheus" "WORKDIR /prometheus" \
  'ENTRYPOINT ["/usr/bin/prometheus"]' \
  'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
rootfs_image "$tools_image" python3 no_hook "ENV PATH=$path" 'CMD ["python3"]'
if [ -n "$built_any" ]; then
  say "base images built in $(secs "$images_t0") s"
else
  say "base images: cached ($jre_image, $pg_image, $caddy_image, $prom_image, $tools_image)"
fi

# --- 3. the bot's image -----------------------------------------------------------------------------------------
# the jar, built with a JDK 21+ found as ./nemobot finds it (CI's default java may be older) when it is missing or
# older than the sources
jar_stale() {
  [ -f bot-app/target/bot-app.jar ] || return 0
  [ -n "$(find . -path './*/target' -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
          -newer bot-app/target/bot-app.jar -type f -print -quit)" ]
}
if jar_stale; then
  # shellcheck source=scripts/find-jdk.sh
  source scripts/find-jdk.sh
  nemobot_find_jdk >&2 || fail "no JDK 21+ to build the jar"
  say "building bot-app/target/bot-app.jar"
  ./mvnw -o -B -q -DskipTests -pl bot-app -am package >"$work/mvn.log" 2>&1 \
    || ./mvnw -B -q -DskipTests -pl bot-app -am package >"$work/mvn.log" 2>&1 \
    || { tail -n 30 "$work/mvn.log" >&2; fail "the jar did not build"; }
fi
bot_image=nemobot-test/bot:latest
t0=$(date +%s)
build -q -f deploy/Dockerfile --build-arg "BASE=$jre_image" -t "$bot_image" . >"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log" >&2; fail "docker build of deploy/Dockerfile"; }
mb() { echo $(( ($1 + 524288) / 1048576 )); }
size=$(docker image inspect -f '{{.Size}}' "$bot_image")
base_size=$(docker image inspect -f '{{.Size}}' "$jre_image")
user=$(docker image inspect -f '{{.Config.User}}' "$bot_image")
say "image $bot_image built in $(secs "$t0") s: $(mb "$size") MB ($(mb "$base_size") MB of it the JRE base), user $user"

# --- 4. --demo in the container ---------------------------------------------------------------------------------
t0=$(date +%s)
docker volume create nemobot-test-demo >/dev/null
printf '/samples/sunset.png animate this image into a 5-second video\n' \
  | docker run --rm -i --name nemobot-test-demo --network none -e LANG=C -v "$root/samples:/samples:ro" \
      -v nemobot-test-demo:/data "$bot_image" --demo >"$work/demo.log" 2>&1 \
  || { tail -n 30 "$work/demo.log" >&2; fail "--demo in the container"; }
# the MP4 in the volume, read by a second container (the volume is owner-only: uid 10001)
mp4=$(docker run --rm -v nemobot-test-demo:/data --entrypoint /bin/sh "$bot_image" -c \
  'for f in /data/out/*.mp4; do [ -f "$f" ] || continue; printf "%s %s " "$f" "$(wc -c < "$f")"; \
   head -c 8 "$f" | tail -c 4; echo; done' | head -n 1)
case "$mp4" in
  *" ftyp") say "--demo: $(echo "$mp4" | awk '{print $1", "$2" bytes, an ftyp box first"}') (in $(secs "$t0") s, no network)" ;;
  *) tail -n 30 "$work/demo.log" >&2; fail "--demo left no MP4 in the volume (found: ${mp4:-nothing})" ;;
esac

# --- 5. the compose stack ---------------------------------------------------------------------------------------
pb=${NEMOBOT_TEST_PORT_BASE:-18000}
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
token="7000111222:AAH-deploy_test-$(hex 8)"
secret=$(hex 16)
hook_path=$(hex 12)
umask 077
cat > "$work/env" <<EOF
POSTGRES_PASSWORD=$(hex 16)
BOT_SECRET_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
TELEGRAM_BOT_TOKEN=$token
TELEGRAM_WEBHOOK_SECRET=$secret
TELEGRAM_WEBHOOK_PATH=$hook_path
BOT_PUBLIC_HOST=localhost
NEMOBOT_IMAGE=$bot_image
NEMOBOT_BASE=$jre_image
POSTGRES_IMAGE=$pg_image
CADDY_IMAGE=$caddy_image
PROMETHEUS_IMAGE=$prom_image
NEMOBOT_TEST_TOOLS_IMAGE=$tools_image
PROXY_HTTP_PORT=127.0.0.1:$((pb + 80))
PROXY_HTTPS_PORT=127.0.0.1:$((pb + 443))
PROMETHEUS_PORT=127.0.0.1:$((pb + 90))
NEMOBOT_TEST_BOT_API_PORT=127.0.0.1:$((pb + 81))
EOF
umask 022
compose config -q || fail "compose config"

# the services' last log lines, on a failure, with the test's secrets masked: Caddy's error log carries the request's
# path (TELEGRAM_WEBHOOK_PATH) and headers (the webhook's secret)
show_logs() {
  compose logs --no-color --tail 40 "$@" 2>&1 \
    | sed -e "s/$secret/[webhook secret]/g" -e "s/$hook_path/[webhook path]/g" -e "s/${token#*:}/[token]/g" >&2
}
t_up=$(date +%s)
compose_ready=1
compose up -d --no-build >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "compose up"; }
cid() { compose ps -q "$1"; }
healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$(cid "$1")")" = healthy ]; }
both_healthy() { healthy bot-a && healthy bot-b; }
if ! until_ok 180 both_healthy; then
  compose ps >&2
  show_logs bot-a bot-b
  fail "bot-a and bot-b not both healthy within 180 s of compose up"
fi
to_healthy=$(secs "$t_up")
say "compose up -> bot-a and bot-b healthy: $to_healthy s (postgres healthy first, then the image's HEALTHCHECK)"

api="http://127.0.0.1:$((pb + 81))"
proxy="https://localhost:$((pb + 443))"
calls() { curl -fsS "$api/calls"; }
# replies (sendMessage) to chat $1 so far
replies() { calls | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["method"]=="sendmessage" and c["chat_id"]==sys.argv[1]))' "$1"; }
replies_reach() { [ "$(replies "$1")" -ge "$2" ]; }
update_no=0
# post_update CHAT N: update N, a /help from user CHAT in its private chat, posted to the proxy as Telegram would; prints the
# HTTP status
post_update() { # CHAT UPDATE_NO (a new number for a new update, the same for a redelivery)
  local body n=$2
  body=$(printf '{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"Test","language_code":"en"},"text":"/help","entities":[{"offset":0,"length":5,"type":"bot_command"}]}}' \
    $((900000 + n)) "$n" "$(date +%s)" "$1" "$1")
  # HTTP/1.1, as Telegram delivers; a failed connection prints 000
  curl -s -o /dev/null -w '%{http_code}' --http1.1 -k --max-time 20 --resolve "localhost:$((pb + 443)):127.0.0.1" \
    -H 'Content-Type: application/json' -H "X-Telegram-Bot-Api-Secret-Token: $secret" \
    --data "$body" "$proxy/telegram/$hook_path" || true
}
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the fake Bot API's calls"
# Caddy takes a moment to have its certificate for localhost: the first post is retried until it is answered
until_ok 60 curl -sk -o /dev/null --resolve "localhost:$((pb + 443)):127.0.0.1" "$proxy/" \
  || { show_logs proxy; fail "the proxy does not answer on $proxy"; }
[ "$(calls | python3 -c 'import json,sys; print(sum(1 for c in json.load(sys.stdin) if c["method"]=="setwebhook"))')" -ge 2 ] \
  || fail "the two instances did not both call setWebhook"

chat=5001
update_no=$((update_no + 1))
status=$(post_update "$chat" "$update_no")
[ "$status" = 200 ] || fail "the update posted to the proxy got HTTP $status"
until_ok 30 replies_reach "$chat" 1 || fail "no reply to the update posted through the proxy"
# a second reply would come from a second handling: give it the time the first took, and more
t0=$(date +%s%N)
until_ok 5 replies_reach "$chat" 2 || true
[ "$(replies "$chat")" = 1 ] || fail "the update was answered $(replies "$chat") times"
say "a Telegram update posted to the proxy: HTTP 200, answered once"

# --- the kill test: bot-a killed (SIGKILL); six updates posted through the proxy right after. As Telegram does, an
# update whose delivery fails (not 200) is delivered again (here every 0.5 s, at most 90 s): each must then be
# answered exactly once, by bot-b. ---
t_kill=$(date +%s)
docker kill "$(cid bot-a)" >/dev/null
kill_chats=(6001 6002 6003 6004 6005 6006)
first=()
declare -A update_of=()
for chat in "${kill_chats[@]}"; do
  update_no=$((update_no + 1))
  update_of[$chat]=$update_no
  first+=("$(post_update "$chat" "$update_no")")
done
# redeliver_pending: the updates not yet accepted with 200, posted again with their own update_id; true when none
# is left
declare -A accepted=()
for i in "${!kill_chats[@]}"; do
  [ "${first[$i]}" = 200 ] && accepted[${kill_chats[$i]}]=1
done
redeliveries=0
redeliver_pending() {
  local chat pending=0
  for chat in "${kill_chats[@]}"; do
    [ -n "${accepted[$chat]:-}" ] && continue
    redeliveries=$((redeliveries + 1))
    if [ "$(post_update "$chat" "${update_of[$chat]}")" = 200 ]; then
      accepted[$chat]=1
    else
      pending=1
    fi
  done
  [ "$pending" = 0 ]
}
all_accepted_after=""
if redeliver_pending || until_ok 90 redeliver_pending; then
  all_accepted_after=$(secs "$t_kill")
fi
all_answered() {
  local chat
  for chat in "${kill_chats[@]}"; do replies_reach "$chat" 1 || return 1; done
}
until_ok 30 all_answered || true
# a second answer to any of them would come soon after the first: a few seconds more
until_ok 5 replies_reach 6001 2 || true
answered=0
twice=0
for chat in "${kill_chats[@]}"; do
  n=$(replies "$chat")
  [ "$n" -ge 1 ] && answered=$((answered + 1))
  [ "$n" -ge 2 ] && twice=$((twice + 1))
done
kill_summary="bot-a killed; 6 updates posted right after: first delivery HTTP ${first[*]}; $redeliveries redeliveries; all accepted ${all_accepted_after:-NOT within 90} s after the kill; answered $answered of 6, $twice twice"
say "kill test: $kill_summary"
if [ -z "$all_accepted_after" ] || [ "$answered" != 6 ] || [ "$twice" != 0 ]; then
  show_logs proxy bot-b
  fail "updates lost or answered twice after the kill"
fi
healthy bot-b || fail "bot-b not healthy after bot-a's kill"

# --- Prometheus: both targets scraped (bot-a's before the kill), the rules evaluated ---
prom="http://127.0.0.1:$((pb + 90))"
targets_seen() {
  curl -fsS "$prom/api/v1/targets" | python3 -c '
import json, sys
t = json.load(sys.stdin)["data"]["activeTargets"]
print(" ".join(sorted(x["labels"]["instance"] + "=" + x["health"] for x in t)))'
}
bot_b_up() { targets_seen | grep -q 'bot-b:9464=up'; }
until_ok 60 bot_b_up || fail "Prometheus does not scrape bot-b: $(targets_seen)"
rules_ok() {
  curl -fsS "$prom/api/v1/rules" | python3 -c '
import json, sys
groups = json.load(sys.stdin)["data"]["groups"]
rules = [r for g in groups for r in g["rules"]]
bad = [r["name"] for r in rules if r.get("health") != "ok" or r.get("lastEvaluation", "").startswith("0001")]
sys.exit(0 if rules and not bad else 1)'
}
until_ok 60 rules_ok || fail "Prometheus has not evaluated every rule without error"
nrules=$(curl -fsS "$prom/api/v1/rules" | python3 -c 'import json,sys; print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))')
a_up=$(curl -fsS "$prom/api/v1/query" --data-urlencode 'query=max_over_time(up{instance="bot-a:9464"}[5m])' \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")')
say "Prometheus: targets $(targets_seen) (bot-a scraped up before the kill: max up = $a_up); $nrules rules evaluated, health ok"
[ "$a_up" = 1 ] || fail "Prometheus never scraped bot-a up"

compose down -v --remove-orphans >/dev/null 2>&1
compose_ready=""
say "PASSED in $(secs "$start_all") s (Docker $docker_version): image $(mb "$size") MB, compose up -> both healthy $to_healthy s, kill test: $kill_summary"
