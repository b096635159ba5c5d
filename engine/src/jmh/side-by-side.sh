#!/bin/bash
# Chronicle Queue (the shared anchor, ../shared/tools/perf/engine-anchor) and the Walrus engine, one after the other in
# one run, same volumes and the same JMH iteration counts, so the ratio is measured under the same machine load.
# Usage: engine/src/jmh/side-by-side.sh [REGEX for the Walrus cases, default all]
#        (env: ANCHOR=/work/shared/tools/perf/engine-anchor, WI=5, I=10 for the fixed-volume cases)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
anchor=${ANCHOR:-/work/shared/tools/perf/engine-anchor}
work=${TMPDIR:-/tmp}/walrus-engine-anchor
# the anchor builds into its own target/: run a writable copy
if [ ! -d "$work" ] || [ -n "$(find "$anchor/src" "$anchor/pom.xml" -newer "$work/pom.xml" 2>/dev/null | head -1)" ]; then
  rm -rf "$work" && cp -r "$anchor" "$work" && chmod -R u+w "$work"
fi
echo "== Chronicle Queue anchor (5 warm-up + 10 iterations, as the anchor defines)" >&2
"$work/run.sh" 'chronicle-append|filechannel-append-batched64k' | grep '^anchor'
echo "== Walrus engine (wi=${WI:-5} i=${I:-10})" >&2
JAVA_OPTS="-Dbench.wi=${WI:-5} -Dbench.i=${I:-10}" "$root/engine/src/jmh/run.sh" "${1:-}" | grep -E '^walrus|^ratio|^# walrus'
