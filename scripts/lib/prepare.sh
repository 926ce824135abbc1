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
    if [ "$APT_UPDATED" = 0 ]; then
      apt-get update -qq || echo "edgeai: apt-get update failed; trying to install from the current package lists" >&2
      APT_UPDATED=1
    fi
    echo "== installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "edgeai: missing system packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
}

prepare_java() {
  local c
  for c in ${JAVA_HOME:-} /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25* \
           /usr/lib/jvm/*-2[5-9]* /opt/java/openjdk; do
    if [ -x "$c/bin/javac" ] && "$c/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
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

# ggml as a test oracle: node-llama-cpp's prebuilt libggml-base.so exports ggml's reference
# quantize_row_*_ref / dequantize_row_* (llm tests bind it with FFM). Installed repo-locally into
# .cache/npm (ignored); the CPU binary package of this machine only, not the CUDA/Vulkan ones.
NODE_LLAMA_CPP_VERSION=3.21.1
prepare_ggml_oracle() {
  local arch dir="$ROOT/.cache/npm"
  case "$(uname -m)" in
    x86_64) arch=linux-x64 ;;
    aarch64|arm64) arch=linux-arm64 ;;
    armv7l) arch=linux-armv7l ;;
    *) echo "edgeai: no node-llama-cpp binary for $(uname -m); ggml oracle tests will fail in CI" >&2; return 0 ;;
  esac
  local pkg="$dir/node_modules/@node-llama-cpp/$arch/package.json"
  if [ -f "$pkg" ] && grep -q "\"version\": \"$NODE_LLAMA_CPP_VERSION\"" "$pkg"; then return 0; fi
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  echo "== installing node-llama-cpp@$NODE_LLAMA_CPP_VERSION ($arch) into .cache/npm"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"edgeai-test-cache","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --omit=optional --save-exact \
    "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" "@node-llama-cpp/$arch@$NODE_LLAMA_CPP_VERSION")
}

# Clients the server tests drive (server module): the official openai npm package and
# playwright-core, which steers Debian's chromium (never a downloaded browser build). Pinned,
# installed repo-locally into .cache/npm next to node-llama-cpp. openai 7 needs Node 22; 6.30.1
# runs on Debian's Node 20.
OPENAI_NPM_VERSION=6.30.1
PLAYWRIGHT_CORE_VERSION=1.65.1
prepare_server_test_clients() {
  local dir="$ROOT/.cache/npm"
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  [ -x /usr/bin/chromium ] || apt_install chromium
  if grep -qs "\"version\": \"$OPENAI_NPM_VERSION\"" "$dir/node_modules/openai/package.json" \
     && grep -qs "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$dir/node_modules/playwright-core/package.json"; then
    return 0
  fi
  echo "== installing openai@$OPENAI_NPM_VERSION and playwright-core@$PLAYWRIGHT_CORE_VERSION into .cache/npm"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"edgeai-test-cache","private":true}' > "$dir/package.json"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing, but make sure of it.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts --save-exact \
    "openai@$OPENAI_NPM_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION")
}

# port_open HOST PORT : true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Starts the system Mosquitto broker on 127.0.0.1:1883 when nothing listens there.
ensure_mosquitto_running() {
  port_open 127.0.0.1 1883 && return 0
  local exe; exe="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
  [ -x "$exe" ] || { echo "edgeai: mosquitto is not installed; install it with: sudo apt-get install mosquitto" >&2; return 1; }
  echo "== starting mosquitto on 127.0.0.1:1883"
  if [ -f /etc/mosquitto/mosquitto.conf ]; then "$exe" -d -c /etc/mosquitto/mosquitto.conf; else "$exe" -d -p 1883; fi
  local i; for i in $(seq 1 50); do port_open 127.0.0.1 1883 && return 0; sleep 0.1; done
  echo "edgeai: mosquitto did not start listening on 127.0.0.1:1883" >&2
  return 1
}

# Each capability adds what its tests need here (brokers, ffmpeg, browsers, npm packages).
prepare_test_dependencies() {
  prepare_ggml_oracle
  prepare_server_test_clients
  # A real Mosquitto (cli and node tests; node tests also start their own on free ports) and ffmpeg (camera sources).
  apt_install mosquitto ffmpeg
  ensure_mosquitto_running
}
