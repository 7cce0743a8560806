#!/usr/bin/env bash
# Reads node --test's closing counts ("ℹ pass 5" / "# pass 5") into "passed failed".
awk '
  /^(ℹ|#) pass [0-9]+/ { p += $3 }
  /^(ℹ|#) fail [0-9]+/ { f += $3 }
  END { printf "%d %d\n", p, f }
' "$1"
