#!/usr/bin/env bash
# Makes the test bed's Windows: a Debian 13 root with Wine 10, whose Wine the tests, the demo and the
# bench run through test/wine/bed.sh. Why a root of its own: Node 24's Windows build dies at once
# under Debian 12's Wine 8 (V8 reserves memory with placeholders, which Wine 8 lacks), and Debian 13
# carries Wine 10. Reused when present and complete (a stamp file names what it holds); made in a
# folder beside it and renamed into place only when whole, so an interrupted run leaves nothing
# that a later run would trust. What it mounts (/proc, /dev for apt) lives in a private mount
# namespace that ends with this script, so nothing stays mounted, on success or on failure.
set -euo pipefail

root=${NODESERVICE_WINE_ROOT:-/var/cache/nodeservice/wine10-trixie}
# What the root holds; a change here makes setup build it again.
recipe="debian trixie minbase; wine wine64; v1"
stamp=.nodeservice-bed

# Every Wine program runs chrooted in a mount namespace of its own (test/wine/bed.sh): that needs root.
if [[ $(id -u) -ne 0 ]] || ! unshare --mount --propagation private true 2>/dev/null; then
  echo "the Wine 10 test bed runs each Wine program with unshare --mount and chroot: run the tests as root (or in a container that allows mount namespaces)" >&2
  exit 1
fi

[[ -f $root/$stamp && $(<"$root/$stamp") == "$recipe" ]] && exit 0

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
if ! command -v debootstrap >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq debootstrap >/dev/null
fi

# The Debian mirror this machine's apt sources already name.
mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
  grep -v security | head -n1 | awk '{print $2}' || true)
mirror=${mirror:-http://deb.debian.org/debian}

"${sudo[@]}" mkdir -p "$(dirname "$root")"
# One maker at a time: a second setup waits, then finds the root made.
exec 9>"$root.lock"
flock 9
[[ -f $root/$stamp && $(<"$root/$stamp") == "$recipe" ]] && exit 0

work="$root.new"
"${sudo[@]}" rm -rf --one-file-system "$work"
echo "making the Wine 10 test bed in $root (Debian 13 from $mirror; about a minute)" >&2
"${sudo[@]}" debootstrap --variant=minbase trixie "$work" "$mirror" >"$root.log" 2>&1 ||
  { echo "debootstrap failed; see $root.log" >&2; exit 1; }
"${sudo[@]}" cp /etc/resolv.conf "$work/etc/resolv.conf"
"${sudo[@]}" unshare --mount --propagation private -- sh -euc '
  mount -t proc proc "$1/proc"
  mount --rbind /dev "$1/dev"
  chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64
  chroot "$1" apt-get clean
' sh "$work" >>"$root.log" 2>&1 || { echo "installing Wine 10 in the bed failed; see $root.log" >&2; exit 1; }
echo "$recipe" | "${sudo[@]}" tee "$work/$stamp" >/dev/null
"${sudo[@]}" rm -rf --one-file-system "$root"
"${sudo[@]}" mv "$work" "$root"
