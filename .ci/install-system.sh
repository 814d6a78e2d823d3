#!/usr/bin/env bash
# System packages and node tools the test suite needs, installed only when missing.
# Debian's chromium (driven by playwright, never a downloaded browser) and CJK fonts
# for the view tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Neo4j's Cypher parser (npm @neo4j-cypher/language-support, pinned in its package-lock.json)
# for the tests that check every Cypher statement without a Neo4j server.
[ -d tests/support/cypher_lint/node_modules ] \
    || npm ci --prefix tests/support/cypher_lint --no-audit --no-fund --loglevel=error
