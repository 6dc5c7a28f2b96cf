#!/usr/bin/env bash
# Installs the Debian 12 packages tcpref needs, only those that are missing.
# Needs root (apt-get). Safe to run again: does nothing when all are present.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: tools/setup.sh [--check] [--help]

Installs every Debian package tcpref's build, tests, fuzzers and server need,
skipping those already installed. Bazel comes from Debian's bazel-bootstrap and
never downloads anything (see third_party/README.md).

  --check   list missing packages and exit 1 if any are missing; install nothing
  --help    show this text
USAGE
}

PACKAGES=(
  # build
  bazel-bootstrap bazel-rules-java g++ clang-14 libclang-rt-14-dev
  clang-format clang-tidy zip unzip
  # libraries (each wrapped once in third_party/BUILD)
  libz3-dev librapidcheck-dev libgtest-dev libbenchmark-dev
  libsodium-dev libpcap-dev
  # server, integration tests and traces
  iproute2 curl netcat-openbsd tcpdump tshark python3 python3-scapy
  iptables  # traces/tools/record*.sh drop SYN-ACKs with iptables-legacy
  graphviz  # tools/model_diagram.sh renders docs/model/*.svg
  chromium  # traces/explain browser test renders reports headless
)

check_only=0
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "setup: missing: ${missing[*]}"
if [ "$check_only" -eq 1 ]; then exit 1; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: installing packages needs root (run as root or with sudo)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${#missing[@]} packages"
