# Shared preparation steps for scripts/test.sh and the benchmark scripts. Source, don't run.

APT_UPDATED=0
have_root() { [ "$(id -u)" = 0 ]; }

# apt_install PKG... : installs the Debian packages that are missing, or explains what to do.
apt_install() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if have_root && command -v apt-get >/dev/null 2>&1; then
    if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq || true; APT_UPDATED=1; fi
    echo "== installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "edgeai: missing system packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
}

prepare_java() {
  local c
  for c in ${JAVA_HOME:-} /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25*; do
    if [ -x "$c/bin/java" ] && "$c/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
      export JAVA_HOME="$c"; return 0
    fi
  done
  # Debian 13 ships openjdk-25; older releases need the Adoptium repository.
  if apt_install openjdk-25-jdk-headless 2>/dev/null; then
    export JAVA_HOME=/usr/lib/jvm/java-25-openjdk-amd64
    [ -d "$JAVA_HOME" ] || JAVA_HOME="$(ls -d /usr/lib/jvm/java-25-openjdk-* | head -1)"
    return 0
  fi
  echo "edgeai: Java 25 is required; install Temurin 25 (https://adoptium.net) and set JAVA_HOME." >&2
  exit 1
}

# Each capability adds what its tests need here (brokers, ffmpeg, browsers, npm packages).
prepare_test_dependencies() {
  prepare_node_test_dependencies
}

# node: a real Mosquitto (tests start their own on free ports; 1883 is started if down) and ffmpeg.
prepare_node_test_dependencies() {
  command -v mosquitto >/dev/null 2>&1 || apt_install mosquitto mosquitto-clients || return 1
  command -v ffmpeg >/dev/null 2>&1 || apt_install ffmpeg || return 1
  if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
    echo "== starting mosquitto on 127.0.0.1:1883"
    if [ -f /etc/mosquitto/mosquitto.conf ]; then mosquitto -d -c /etc/mosquitto/mosquitto.conf; else mosquitto -d -p 1883; fi
  fi
}
