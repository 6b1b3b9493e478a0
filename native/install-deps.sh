#!/usr/bin/env bash
# Installs the OS packages RtcClient's native bindings and tests need, and builds the project's
# quic-go interop peers. apt-get runs only when a package is missing; safe to run again.
#   runtime:  libopus0, libopenh264-7, libportaudio2, libasound2 (codecs and audio devices)
#   checks:   opus-tools, ffmpeg, sox (independent decoders for codec tests)
#   interop:  ngtcp2 client/server, caddy, chromium, nodejs, tshark, go + quic-go (our peers in tests/interop-peers)
# Prints where the interop peers are. INTEROP_BIN overrides where the Go peers are built.
#   --runtime  only the runtime libraries (what a call needs: the demo's set-up), no peers
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${INTEROP_BIN:-$root/artifacts/interop-bin}
runtime_only=false
[[ ${1:-} == --runtime ]] && runtime_only=true
packages=(libopus0 libopenh264-7 libportaudio2 libasound2)
$runtime_only || packages+=(opus-tools ffmpeg sox openssl
          ngtcp2-client ngtcp2-server caddy chromium nodejs tshark golang-go golang-github-lucas-clemente-quic-go-dev)
need=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo_cmd[@]}" debconf-set-selections
  echo "installing: ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
$runtime_only && exit 0
# Debian's caddy package starts a service; the tests start their own instances on other ports.
if command -v systemctl >/dev/null 2>&1; then systemctl stop caddy >/dev/null 2>&1 || true; fi
pkill -x -u caddy caddy >/dev/null 2>&1 || true # the packaged service's user only, never a test's own caddy

mkdir -p "$out"
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
mkdir -p "$gopath/src"
for b in qpeer wtpeer; do
  src=$root/tests/interop-peers/$b
  if [[ ! -x $out/$b || $src/main.go -nt $out/$b ]]; then
    cp -r "$src" "$gopath/src/$b"
    (cd "$gopath/src/$b" && GO111MODULE=off GOPATH="$gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= \
      GOCACHE="$out/gocache" go build -o "$out/$b" "$b")
  fi
done
echo "qpeer: $out/qpeer"
echo "wtpeer: $out/wtpeer"
