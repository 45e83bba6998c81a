# bench/lib.sh NAME — sourced by the bench scripts, from the repository's root: a work folder
# /tmp/zones-NAME.XXXX in $WORK, and $PIDS, the processes the script starts; on exit those are
# stopped and the folder removed. Raises the open-files limit to the hard limit (connections).
WORK=$(mktemp -d "/tmp/zones-$1.XXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
