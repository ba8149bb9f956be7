#!/bin/sh
# benchmarks/tu_time.sh LOG COMPILER ARGS...: a compiler launcher (CMAKE_CXX_COMPILER_LAUNCHER)
# that runs the compilation under /usr/bin/time and appends one line per translation unit
# to LOG: "object wall_s user_s sys_s peak_rss_kib exit_status".
log=$1
shift
obj=unknown
prev=
for a in "$@"; do
    [ "$prev" = "-o" ] && obj=$a
    prev=$a
done
tmp=$(mktemp)
/usr/bin/time -o "$tmp" -f "%e %U %S %M" "$@"
rc=$?
echo "$obj $(tail -n 1 "$tmp") $rc" >> "$log"
rm -f "$tmp"
exit $rc
