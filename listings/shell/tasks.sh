# Shell helpers for Tasker's REST API, as the book's chapters use them. Source it once
# ORCHESTRATION_URL names the orchestration server (`eval "$(scripts/stack env)"` sets
# it); `task` also needs TASK_NAMESPACE. Needs bash, curl, jq, od and perl (Linux, macOS).

# new_id: a random UUID (version 4), for the ids a task's context carries.
new_id() {
  local hex
  hex=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12})$/\1-\2-4\3-a\4-\5/' <<<"$hex"
}

# now_ms: milliseconds since the epoch (`date +%s%N` is GNU's alone).
now_ms() { perl -MTime::HiRes=time -e 'printf "%d\n", time * 1000'; }

# task NAME CONTEXT: creates a task of template NAME in TASK_NAMESPACE; prints its UUID,
# or stops with Tasker's answer. CONTEXT is a jq object, in which $id is a new UUID:
# Tasker refuses a second task with the same context (see "The same request twice").
task() {
  local answer context
  context=$(jq -nc --arg id "$(new_id)" "$2") || return
  answer=$(jq -n --arg name "$1" --arg namespace "${TASK_NAMESPACE:?set TASK_NAMESPACE}" \
      --argjson context "$context" '{
      name: $name, namespace: $namespace, version: "1.0.0", context: $context,
      initiator: "shell", source_system: "book", reason: "an example"}' |
    curl -sS -X POST "$ORCHESTRATION_URL/v1/tasks" -H 'content-type: application/json' \
      -d @- -w '\n%{http_code}')
  case ${answer##*$'\n'} in
    2??) jq -r .task_uuid <<<"${answer%$'\n'*}" ;;
    *) echo "no task: ${answer//$'\n'/ HTTP }" >&2; return 1 ;;
  esac
}

# finish UUID [SECONDS]: waits until the task stops moving (60 s at most), asking every
# tenth of a second; prints its status.
finish() {
  local status
  for _ in $(seq $((${2:-60} * 10))); do
    status=$(curl -sS "$ORCHESTRATION_URL/v1/tasks/$1" | jq -r .status)
    case $status in complete | blocked_by_failures | error | cancelled) break ;; esac
    sleep 0.1
  done
  echo "$status"
}

# steps UUID: the task's steps by name, with their state.
steps() {
  curl -sS "$ORCHESTRATION_URL/v1/tasks/$1/workflow_steps" |
    jq -r 'sort_by(.name)[] | "\(.name): \(.current_state)"'
}

# result UUID STEP: what the step's handler returned.
result() {
  curl -sS "$ORCHESTRATION_URL/v1/tasks/$1/workflow_steps" |
    jq -c --arg step "$2" '.[] | select(.name == $step) | .results.result'
}

# step_uuid UUID STEP: the UUID of one of the task's steps.
step_uuid() {
  curl -sS "$ORCHESTRATION_URL/v1/tasks/$1/workflow_steps" |
    jq -r --arg step "$2" '.[] | select(.name == $step) | .step_uuid'
}
