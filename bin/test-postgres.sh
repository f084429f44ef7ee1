#!/usr/bin/env bash
# Makes a local PostgreSQL server available to the test suite (sourced by .ci/run; usable by hand:
# `. bin/test-postgres.sh && ./mvnw -B verify`). Installs Debian's postgresql when it is missing, starts the
# cluster, creates the role the tests use, and exports ENGRAM_TEST_PG_URL / _USER / _PASSWORD. The tests
# create and drop a database of their own per test class. Needs root (or passwordless sudo) to install/start.
engram_test_postgres() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "test-postgres: not root and no passwordless sudo; set ENGRAM_TEST_PG_URL yourself" >&2
            return 1
        fi
    fi
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        echo "test-postgres: installing Debian's postgresql"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null \
            || { echo "test-postgres: apt-get install postgresql failed" >&2; return 1; }
    fi
    local version
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$version main$"; then
        $sudo pg_createcluster "$version" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
        $sudo pg_ctlcluster "$version" main start || { echo "test-postgres: cannot start cluster $version/main" >&2; return 1; }
    fi
    local port
    port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
    for _ in $(seq 1 50); do
        pg_isready -q -h 127.0.0.1 -p "$port" && break
        sleep 0.2
    done
    $sudo runuser -u postgres -- psql -q -p "$port" -tc "SELECT 1 FROM pg_roles WHERE rolname = 'engram_test'" | grep -q 1 \
        || $sudo runuser -u postgres -- psql -q -p "$port" -c "CREATE ROLE engram_test LOGIN SUPERUSER PASSWORD 'engram_test'"
    export ENGRAM_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$port/postgres"
    export ENGRAM_TEST_PG_USER=engram_test
    export ENGRAM_TEST_PG_PASSWORD=engram_test
    echo "test-postgres: PostgreSQL $version on port $port ($ENGRAM_TEST_PG_URL)"
}
engram_test_postgres
