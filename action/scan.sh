#!/usr/bin/env bash
# The Scan step of action.yml: runs authlint with the action's inputs (INPUT_* variables), writes the
# step outputs and the step summary (findings and the route-exposure diff), and exits with authlint's code.
set -uo pipefail

authlint() { node "$GITHUB_ACTION_PATH/bin/authlint.js" "$@"; }

cd "$GITHUB_WORKSPACE" || exit 2
read -r -a paths <<< "$(printf '%s' "${INPUT_PATHS:-.}" | tr '\n' ' ')"
[ "${#paths[@]}" -eq 0 ] && paths=(.)
sarif="${INPUT_SARIF_FILE:-authlint.sarif}"
work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/authlint.XXXXXX")"

# `auto`: the pull request's base branch, fetched when the checkout does not have it yet.
resolve_ref() {
  local value="$1"
  if [ "$value" != auto ]; then
    printf '%s' "$value"
    return
  fi
  [ -n "${GITHUB_BASE_REF:-}" ] || return
  local ref="origin/$GITHUB_BASE_REF"
  if ! git rev-parse --verify --quiet "$ref^{commit}" > /dev/null; then
    git fetch --no-tags --quiet origin "+refs/heads/$GITHUB_BASE_REF:refs/remotes/$ref" || echo "::warning::authlint: cannot fetch $ref"
  fi
  printf '%s' "$ref"
}

config=()
[ -n "${INPUT_CONFIG:-}" ] && config=(--config "$INPUT_CONFIG")
args=(scan "${paths[@]}" "${config[@]}" --fail-on "${INPUT_FAIL_ON:-error}" --no-progress
  --format "sarif:$sarif" --format "json:$work/report.json" --format "markdown:$work/summary.md" --format text)
[ -n "${INPUT_CATEGORY:-}" ] && args+=(--category "$INPUT_CATEGORY")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
changed_since="$(resolve_ref "${INPUT_CHANGED_SINCE:-}")"
[ -n "$changed_since" ] && args+=(--changed-since "$changed_since")

authlint "${args[@]}"
code=$?

if [ -f "$work/report.json" ]; then
  node -e '
    const report = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const s = report.summary;
    const fresh = s.baseline ? s.baseline.new : s.findings;
    process.stdout.write(`findings=${s.findings}\nerrors=${s.errors}\nwarnings=${s.warnings}\nnotes=${s.notes}\nnew-findings=${fresh}\n`);
  ' "$work/report.json" >> "$GITHUB_OUTPUT"
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi

{
  if [ -f "$work/summary.md" ]; then cat "$work/summary.md"; else echo "### authlint"; echo; echo "authlint could not complete the scan (exit code $code); see the log."; fi
  compare="$(resolve_ref "${INPUT_COMPARE_ROUTES:-}")"
  if [ -n "$compare" ] && [ "${#paths[@]}" -eq 1 ]; then
    echo
    authlint routes "${paths[0]}" "${config[@]}" --no-progress --compare "$compare" --format markdown ||
      echo "The route-exposure diff against \`$compare\` could not be computed; see the log."
  fi
} >> "${GITHUB_STEP_SUMMARY:-/dev/null}"

rm -rf "$work"
[ "$code" -ge 2 ] && echo "::error::authlint could not complete the scan (exit code $code)"
exit "$code"
