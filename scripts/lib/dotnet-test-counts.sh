#!/usr/bin/env bash
# Sums the per-project summary lines of `dotnet test` ("Passed!  - Failed: 0, Passed: 12, ...") into "passed failed".
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { v = $(i + 1); gsub(/,/, "", v); f += v }
      if ($i == "Passed:") { v = $(i + 1); gsub(/,/, "", v); p += v }
    }
  }
  END { printf "%d %d\n", p, f }
' "$1"
