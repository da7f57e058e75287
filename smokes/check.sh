#!/bin/sh
# wavegate smoke check (POSIX sh + kubectl). Rendered into every smoke chart by wavegate.
#
# Usage: check.sh CHECKS_FILE
#
# CHECKS_FILE has one check per line (fields separated by blanks; '#' starts a comment):
#   condition NAMESPACE NAME KIND RESOURCE CONDITION   object RESOURCE/NAME has CONDITION=True
#                                                      (NAMESPACE '-': a cluster-scoped object)
#   secret    NAMESPACE NAME KEYS                      Secret exists with every key in KEYS
#                                                      (comma-separated, '-' for none; a
#                                                      trailing comma is ignored, so '-,'
#                                                      is the one key named '-')
# RESOURCE is what kubectl get takes (externalsecrets.external-secrets.io,
# clusters.v1.postgresql.cnpg.io).
#
# Environment (all optional):
#   SMOKE_ATTEMPTS                 rounds of checks before giving up (default 30)
#   SMOKE_SLEEP_SECONDS            pause between rounds (default 10)
#   SMOKE_DEADLINE_SECONDS         the whole run ends within this many seconds (default 600)
#   SMOKE_REQUEST_TIMEOUT_SECONDS  bound on one kubectl call (default 10)
#   KUBECTL                        kubectl command (default kubectl)
#
# Every check runs in every round until it passes, so one failure never hides another.
# Prints one PASS/FAIL line per check and a summary; exits 0 when all pass, 1 when any
# fails, 2 when the checks file or the environment is unusable.
#
# Secret values never reach the output: Secrets are read only with a go-template that
# prints the names of the keys under .data. Never add `set -x` or `-o yaml/json` here.

set -u

die() {
  printf 'ERROR %s\n' "$1"
  exit 2
}

is_uint() {
  case $1 in
    '' | *[!0-9]*) return 1 ;;
  esac
  return 0
}

checks_file=${1:-/smoke/checks}
attempts=${SMOKE_ATTEMPTS:-30}
sleep_seconds=${SMOKE_SLEEP_SECONDS:-10}
budget=${SMOKE_DEADLINE_SECONDS:-600}
request_timeout=${SMOKE_REQUEST_TIMEOUT_SECONDS:-10}
kubectl=${KUBECTL:-kubectl}

is_count() {
  is_uint "$1" && [ "$1" -ge 1 ]
}
is_count "$attempts" || die "SMOKE_ATTEMPTS must be a whole number >= 1 (got '$attempts')"
is_uint "$sleep_seconds" || die "SMOKE_SLEEP_SECONDS must be a whole number (got '$sleep_seconds')"
is_count "$budget" || die "SMOKE_DEADLINE_SECONDS must be a whole number >= 1 (got '$budget')"
is_count "$request_timeout" || die "SMOKE_REQUEST_TIMEOUT_SECONDS must be a whole number >= 1 (got '$request_timeout')"
[ -r "$checks_file" ] || die "cannot read checks file $checks_file"

work=${TMPDIR:-/tmp}/smoke.$$
mkdir -m 700 "$work" || die "cannot create a scratch directory $work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
err_file=$work/stderr

now() {
  date +%s
}

start=$(now)
deadline=$((start + budget))

# Field checks: the checks file comes from Helm values, so refuse anything that is not a
# plain Kubernetes name before it reaches a command line or a template.
valid_name() {
  case $1 in
    '' | *[!a-z0-9.-]* | [.-]* | *[.-]) return 1 ;;
  esac
  return 0
}
valid_word() {
  case $1 in
    '' | *[!A-Za-z0-9]*) return 1 ;;
  esac
  return 0
}
valid_keys() {
  case $1 in
    '' | *[!A-Za-z0-9._,-]*) return 1 ;;
  esac
  return 0
}

# Parse the checks into numbered variables: type_N, ns_N, name_N, kind_N, res_N, arg_N.
n=0
line_no=0
while IFS= read -r line || [ -n "$line" ]; do
  line_no=$((line_no + 1))
  case $line in
    '' | '#'*) continue ;;
  esac
  kind='' res='' arg=''
  read -r type ns name f4 f5 f6 rest <<EOF
$line
EOF
  case $type in
    condition)
      kind=$f4 res=$f5 arg=$f6
      if ! { valid_word "$kind" && valid_name "$res" && valid_word "$arg" && [ -z "$rest" ]; }; then
        die "$checks_file:$line_no: expected 'condition NAMESPACE NAME KIND RESOURCE CONDITION'"
      fi
      ;;
    secret)
      kind=Secret res=secrets arg=$f4
      if ! { valid_keys "$arg" && [ -z "$f5$f6$rest" ]; }; then
        die "$checks_file:$line_no: expected 'secret NAMESPACE NAME KEY1,KEY2' (or '-' for no keys)"
      fi
      ;;
    *)
      die "$checks_file:$line_no: unknown check type '$type' (expected condition or secret)"
      ;;
  esac
  if ! { { valid_name "$ns" || { [ "$ns" = - ] && [ "$type" = condition ]; }; } && valid_name "$name"; }; then
    die "$checks_file:$line_no: namespace and name must be Kubernetes names"
  fi
  # where: how the check names its object in the output (namespace/name, or name alone).
  # shellcheck disable=SC2034 # stored into where_N by the eval below
  case $ns in
    -) where=$name ;;
    *) where=$ns/$name ;;
  esac
  n=$((n + 1))
  eval "type_$n=\$type ns_$n=\$ns name_$n=\$name where_$n=\$where kind_$n=\$kind res_$n=\$res arg_$n=\$arg done_$n=0 why_$n='not run' tries_$n=0"
done <"$checks_file"

[ "$n" -ge 1 ] || die "$checks_file has no checks"

# One kubectl call, bounded by the request timeout and by what is left of the deadline.
# stdout is the caller's; stderr goes to $err_file for classify_error.
kube() {
  left=$((deadline - $(now)))
  t=$request_timeout
  [ "$left" -lt "$t" ] && t=$left
  [ "$t" -lt 1 ] && t=1
  "$kubectl" --request-timeout="${t}s" "$@" 2>"$err_file"
}

# Why a kubectl call failed, in one line, from its stderr. kubectl 1.35 prints client-side
# log lines (klog: "E1203 08:55:56.133389   7 memcache.go:265] ...") before the error proper
# when discovery fails; they are skipped. Unauthorized, Forbidden and NotFound are recognised
# on any line; otherwise the first line that is not a log line is the message, without
# kubectl's "error: " and "Error from server " prefixes.
is_log_line() {
  case $1 in
    [IWEF][0-9][0-9][0-9][0-9]' '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*) return 0 ;;
  esac
  return 1
}
classify_error() {
  msg='' unauthorized='' forbidden='' notfound='' notype='' unreachable=''
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in
      *'(Unauthorized)'* | *'You must be logged in to the server'* | *'provide credentials'*) unauthorized=1 ;;
    esac
    if is_log_line "$line"; then
      continue
    fi
    case $line in
      *'(Forbidden): '*) [ -n "$forbidden" ] || forbidden=${line#*(Forbidden): } ;;
      *'(NotFound)'*) notfound=1 ;;
      *"doesn't have a resource type"*) notype=${line#*resource type } ;;
      *'was refused'* | *'Unable to connect to the server'* | *'no such host'* | *'i/o timeout'*) [ -n "$unreachable" ] || unreachable=$line ;;
    esac
    [ -n "$msg" ] || [ -z "$line" ] || msg=$line
  done <"$err_file"
  msg=${msg#error: }
  msg=${msg#Error from server }
  if [ -n "$unauthorized" ]; then
    why='unauthorized (is the ServiceAccount token mounted and valid?)'
  elif [ -n "$forbidden" ]; then
    why="forbidden: $forbidden"
  elif [ -n "$notfound" ]; then
    why='not found'
  elif [ -n "$notype" ]; then
    why="the server has no resource type $notype (is its CRD installed?)"
  elif [ -n "$unreachable" ]; then
    why="cannot reach the API server: $unreachable"
  elif [ -n "$msg" ]; then
    why="error: $msg"
  else
    why="kubectl failed with exit code $1 and no message"
  fi
}

# condition NS NAME RESOURCE COND: sets why; returns 0 when COND is True. NS '-': cluster-scoped.
check_condition() {
  tmpl='{{range .status.conditions}}{{if eq .type "'"$4"'"}}{{.status}}|{{with .reason}}{{.}}{{end}}|{{with .message}}{{printf "%q" .}}{{end}}{{"\n"}}{{end}}{{end}}'
  if [ "$1" = - ]; then
    out=$(kube get "$3" "$2" --output "go-template=$tmpl")
  else
    out=$(kube get "$3" "$2" --namespace "$1" --output "go-template=$tmpl")
  fi
  rc=$?
  if [ "$rc" -ne 0 ]; then
    classify_error "$rc"
    return 1
  fi
  nl='
'
  out=${out%%"$nl"*}
  if [ -z "$out" ]; then
    why="no $4 condition reported yet"
    return 1
  fi
  status=${out%%|*}
  rest=${out#*|}
  reason=${rest%%|*}
  message=${rest#*|}
  why="$4=$status"
  [ -n "$reason" ] && why="$why reason=$reason"
  [ -n "$message" ] && why="$why message=$message"
  [ "$status" = True ]
}

# secret NS NAME KEYS: sets why; returns 0 when the Secret exists with every key.
# The template prints key names only; the values under .data are never printed.
check_secret() {
  # shellcheck disable=SC2016 # $k and $v are go-template variables, not shell ones
  out=$(kube get secrets "$2" --namespace "$1" --output 'go-template={{range $k, $v := .data}}{{$k}}{{"\n"}}{{end}}')
  rc=$?
  if [ "$rc" -ne 0 ]; then
    classify_error "$rc"
    return 1
  fi
  if [ "$3" = - ]; then
    why='exists'
    return 0
  fi
  missing=''
  nl='
'
  old_ifs=$IFS
  IFS=,
  for key in $3; do
    case "$nl$out$nl" in
      *"$nl$key$nl"*) ;;
      *) missing="${missing:+$missing,}$key" ;;
    esac
  done
  IFS=$old_ifs
  if [ -n "$missing" ]; then
    why="missing keys: $missing"
    return 1
  fi
  why="exists with keys ${3%,}"
  return 0
}

printf 'wavegate smoke: %s checks, up to %s rounds %ss apart, deadline %ss\n' "$n" "$attempts" "$sleep_seconds" "$budget"

d='' k='' w=''
round=1
while :; do
  pending=0
  i=1
  while [ "$i" -le "$n" ]; do
    eval "d=\$done_$i"
    if [ "$d" = 0 ]; then
      if [ "$round" -gt 1 ] && [ "$(now)" -ge "$deadline" ]; then
        # Past the deadline: checks not retried keep the result of their last round.
        pending=$((pending + 1))
        i=$((i + 1))
        continue
      fi
      eval "t=\$type_$i ns=\$ns_$i name=\$name_$i res=\$res_$i arg=\$arg_$i tries=\$tries_$i"
      why=''
      if [ "$t" = secret ]; then
        check_secret "$ns" "$name" "$arg"
      else
        check_condition "$ns" "$name" "$res" "$arg"
      fi
      ok=$?
      tries=$((tries + 1))
      eval "why_$i=\$why tries_$i=\$tries"
      if [ "$ok" -eq 0 ]; then
        eval "done_$i=1"
      else
        pending=$((pending + 1))
        eval "k=\$kind_$i w=\$where_$i"
        printf 'WAIT %s %s: %s (round %s/%s)\n' "$k" "$w" "$why" "$round" "$attempts"
      fi
    fi
    i=$((i + 1))
  done
  [ "$pending" -eq 0 ] && break
  [ "$round" -ge "$attempts" ] && break
  left=$((deadline - $(now)))
  [ "$left" -le 0 ] && break
  pause=$sleep_seconds
  [ "$left" -lt "$pause" ] && pause=$left
  [ "$pause" -gt 0 ] && sleep "$pause"
  round=$((round + 1))
done

passed=0
failed=0
i=1
while [ "$i" -le "$n" ]; do
  eval "d=\$done_$i k=\$kind_$i w=\$where_$i why=\$why_$i tries=\$tries_$i"
  if [ "$d" = 1 ]; then
    passed=$((passed + 1))
    printf 'PASS %s %s: %s\n' "$k" "$w" "$why"
  else
    failed=$((failed + 1))
    printf 'FAIL %s %s: %s (after %s attempts)\n' "$k" "$w" "$why" "$tries"
  fi
  i=$((i + 1))
done
printf 'SUMMARY %s checks: %s passed, %s failed\n' "$n" "$passed" "$failed"
[ "$failed" -eq 0 ]
