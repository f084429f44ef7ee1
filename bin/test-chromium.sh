#!/usr/bin/env bash
# Makes a headless Chromium and its WebDriver available to the dashboard's browser test (sourced by .ci/run;
# usable by hand: `. bin/test-chromium.sh && ./mvnw -B verify`). Installs Debian's chromium and chromium-driver
# (plus a small CJK font, so the screenshots show Chinese text) when missing and exports
# ENGRAM_TEST_CHROMIUM / ENGRAM_TEST_CHROMEDRIVER with their paths.
# Needs root (or passwordless sudo) to install.
engram_test_chromium() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "test-chromium: not root and no passwordless sudo; install chromium and chromium-driver yourself" >&2
            return 1
        fi
    fi
    if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
            || [ ! -d /usr/share/fonts/truetype/wqy ]; then
        echo "test-chromium: installing Debian's chromium, chromium-driver and fonts-wqy-microhei"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
            chromium chromium-driver fonts-wqy-microhei >/dev/null \
            || { echo "test-chromium: apt-get install chromium chromium-driver fonts-wqy-microhei failed" >&2; return 1; }
    fi
    ENGRAM_TEST_CHROMIUM=$(command -v chromium)
    ENGRAM_TEST_CHROMEDRIVER=$(command -v chromedriver)
    export ENGRAM_TEST_CHROMIUM ENGRAM_TEST_CHROMEDRIVER
    echo "test-chromium: $("$ENGRAM_TEST_CHROMEDRIVER" --version 2>/dev/null | head -1) for $ENGRAM_TEST_CHROMIUM"
}
engram_test_chromium
