#!/usr/bin/env bash
# A real Neo4j 5 for edukg's tests (TestServer.java, built by Maven from Maven Central).
#
#   server.sh start HOME        build if needed, start in the background, wait for Bolt, print the URI
#   server.sh stop HOME         stop the server started in HOME (SIGTERM: a clean shutdown)
#   server.sh run HOME CMD...   start a fresh server, run CMD with NEO4J_URI/USER/PASSWORD set, stop it
#   server.sh admin HOME ARG... neo4j-admin ARG... (org.neo4j.cli.AdminTool) with NEO4J_HOME=HOME,
#                               e.g. `database import full --nodes=… neo4j`: what a user runs as neo4j-admin
#   server.sh import HOME CSVDIR  `neo4j-admin database import full` of the CSV files in CSVDIR into
#                               HOME's database neo4j (replacing it; the server stopped), then
#                               `start HOME` serves it. nodes_*.csv / relationships_*.csv are one
#                               file each; a partitioned one is NAME.header.csv with its parts NAME.*.csv
#
# HOME holds data/, logs/, server.log, server.pid and bolt.uri. The password is NEO4J_PASSWORD,
# or one generated for this start: `run` keeps it in CMD's environment only; `start` writes
# it to HOME/password (mode 600). It is never printed. Without java or mvn, `run` runs CMD
# alone and the Neo4j tests skip with that reason. With EDUKG_NEO4J_OWNER=PID, the server
# also stops when that process ends (`run` sets it to its own pid).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$HERE/target/edukg-neo4j-server.jar"
START_TIMEOUT=${NEO4J_START_TIMEOUT:-180}  # seconds; a cold JVM on a busy 2-core machine takes 20-60
# The module openings Neo4j's own launcher passes (its neo4j.conf server.jvm.additional)
JAVA_OPTS=(
    -Xms256m -Xmx1g -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Djdk.nio.maxCachedBufferSize=1024
    -Dlog4j2.disable.jmx=true
)

die() { echo "neo4j-server: $*" >&2; exit 1; }

have_tools() { command -v java >/dev/null && command -v mvn >/dev/null; }

build() {
    have_tools || die "needs java (17) and mvn on PATH"
    local newest
    newest=$(find "$HERE/pom.xml" "$HERE/src" -newer "$JAR" -print -quit 2>/dev/null || true)
    if [ ! -f "$JAR" ] || [ -n "$newest" ]; then
        echo "neo4j-server: building (Maven; Neo4j's jars come from Maven Central once, then ~/.m2)" >&2
        mvn -q -B -f "$HERE/pom.xml" package -DskipTests >&2
    fi
}

running_pid() {  # the pid of HOME's server if it still runs
    local pid
    pid=$(cat "$1/server.pid" 2>/dev/null) || return 1
    kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
    local home=$1
    mkdir -p "$home"
    home=$(cd "$home" && pwd)
    if running_pid "$home" >/dev/null && [ -f "$home/bolt.uri" ]; then
        echo "already running: $(cat "$home/bolt.uri")"
        return
    fi
    build
    if [ -z "${NEO4J_PASSWORD:-}" ]; then
        NEO4J_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
        (umask 077 && printf '%s\n' "$NEO4J_PASSWORD" >"$home/password")
    fi
    rm -f "$home/bolt.uri"
    NEO4J_PASSWORD="$NEO4J_PASSWORD" nohup java "${JAVA_OPTS[@]}" \
        -cp "$HERE/target/classes:$HERE/target/lib/*" edukg.TestServer "$home" \
        >"$home/server.log" 2>&1 </dev/null &
    echo $! >"$home/server.pid"
    local waited=0
    until [ -f "$home/bolt.uri" ]; do
        running_pid "$home" >/dev/null || die "the server exited; see $home/server.log: $(tail -n 3 "$home/server.log" | tr '\n' ' ')"
        [ "$waited" -lt "$START_TIMEOUT" ] || { stop "$home"; die "no Bolt answer after ${START_TIMEOUT}s; see $home/server.log"; }
        sleep 1
        waited=$((waited + 1))
    done
    local uri port
    uri=$(cat "$home/bolt.uri")
    port=${uri##*:}
    # Bolt answers: a TCP connection to the port it reported
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { stop "$home"; die "Bolt does not answer on $uri"; }
    echo "$uri"
}

stop() {
    local home=$1 pid waited=0
    pid=$(running_pid "$home") || { echo "not running"; return; }
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$waited" -ge 60 ]; then
            echo "neo4j-server: no clean shutdown within 60 s; killing $pid" >&2
            kill -KILL "$pid"
            break
        fi
        sleep 1
        waited=$((waited + 1))
    done
    rm -f "$home/server.pid" "$home/bolt.uri"
    echo "stopped"
}

admin() {
    local home=$1
    shift
    mkdir -p "$home/conf"
    home=$(cd "$home" && pwd)
    build
    # neo4j-admin reads HOME/conf/neo4j.conf; an empty one keeps every default (data in HOME/data)
    touch "$home/conf/neo4j.conf"
    NEO4J_HOME="$home" NEO4J_CONF="$home/conf" java "${JAVA_OPTS[@]}" \
        -cp "$HERE/target/classes:$HERE/target/lib/*" org.neo4j.cli.AdminTool "$@"
}

import_csv() {
    local home=$1 dir=$2 file name group part
    [ -d "$dir" ] || die "no CSV folder $dir"
    running_pid "$home" >/dev/null && die "the server in $home runs: stop it before an import"
    local args=(database import full neo4j --overwrite-destination=true --array-delimiter=U+001F --multiline-fields=true
        "--report-file=$home/import.report")
    for file in "$dir"/nodes_*.csv "$dir"/relationships_*.csv; do
        [ -e "$file" ] || continue
        name=$(basename "$file")
        case "$name" in
            *.header.csv) ;;
            *.*.csv) continue ;;  # a part: listed after its header
            *) args+=("--${name%%_*}=$file"); continue ;;
        esac
        group=$file
        for part in "$dir/${name%.header.csv}".*.csv; do
            [ "$part" = "$file" ] || group+=",$part"
        done
        args+=("--${name%%_*}=$group")
    done
    admin "$home" "${args[@]}"
}

run() {
    RUN_HOME=$1  # global: the EXIT trap runs after this function returned
    shift
    if ! have_tools; then
        echo "neo4j-server: no java/mvn on PATH: running without Neo4j (its tests skip)" >&2
        "$@"
        return
    fi
    stop "$RUN_HOME" >/dev/null  # a server left by an interrupted run
    rm -rf "$RUN_HOME/data" "$RUN_HOME/logs"
    NEO4J_PASSWORD=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    export NEO4J_PASSWORD NEO4J_USER=neo4j
    export EDUKG_NEO4J_OWNER=$$  # a run killed before its trap still takes the server with it
    trap 'stop "$RUN_HOME" >/dev/null' EXIT
    NEO4J_URI=$(start "$RUN_HOME")
    export NEO4J_URI
    echo "neo4j-server: Neo4j for the tests at $NEO4J_URI" >&2
    local status=0
    "$@" || status=$?
    return "$status"
}

[ $# -ge 2 ] || die "usage: server.sh start|stop HOME | server.sh run HOME CMD... | server.sh admin HOME ARG... | server.sh import HOME CSVDIR"
command=$1
shift
case "$command" in
    start) start "$1" ;;
    stop) stop "$1" ;;
    run) run "$@" ;;
    admin) admin "$@" ;;
    import) [ $# -eq 2 ] || die "usage: server.sh import HOME CSVDIR"; import_csv "$1" "$2" ;;
    *) die "unknown command $command (start, stop, run, admin, import)" ;;
esac
