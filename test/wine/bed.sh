#!/bin/sh
# Runs one program of the Wine 10 test bed (.ci/wine-bed.sh): `bed.sh <root> <program> [args...]`.
# The program runs chrooted into the bed's Debian 13 root, in a mount namespace of its own that sees
# /proc, /dev, /tmp, $TMPDIR and this checkout at the same paths as outside, so Z:\ paths, Wine
# prefixes in /tmp and the wineserver's socket are the same for every program of a run. The
# namespace's mounts end with its last process: nothing is left mounted, whatever happens.
set -eu
root=$1
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
exec unshare --mount --propagation private -- sh -euc '
  r=$1 repo=$2 cwd=$3
  shift 3
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"
  for d in /tmp ${TMPDIR:-} "$repo"; do
    mkdir -p "$r$d"
    mount --bind "$d" "$r$d"
  done
  exec chroot "$r" /bin/sh -c "cd \"\$0\" 2>/dev/null || cd /; exec \"\$@\"" "$cwd" "$@"
' sh "$root" "$repo" "$PWD" "$@"
