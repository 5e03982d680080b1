# Shell helpers for the book's "Patterns" chapters: `source` it after
# `eval "$(scripts/stack env)"`. Tasks go to the Axum app's namespace, patterns_rs.

# task NAME CONTEXT: creates a task of template NAME; prints its UUID, or stops with
# Tasker's answer. CONTEXT is a jq object, in which $id is a new UUID: Tasker refuses a
# second task with the same context (see "The same request twice").
task() {
  local answer context
  context=$(jq -nc --arg id "$(cat /proc/sys/kernel/random/uuid)" "$2") || return
  answer=$(jq -n --arg name "$1" --argjson context "$context" '{
      name: $name, namespace: "patterns_rs", version: "1.0.0", context: $context,
      initiator: "patterns", source_system: "book", reason: "a pattern"}' |
    curl -sS -X POST "$ORCHESTRATION_URL/v1/tasks" -H 'content-type: application/json' \
      -d @- -w '\n%{http_code}')
  case ${answer##*$'\n'} in
    2??) jq -r .task_uuid <<<"${answer%$'\n'*}" ;;
    *) echo "no task: ${answer//$'\n'/ HTTP }" >&2; return 1 ;;
  esac
}

# finish UUID [SECONDS]: waits until the task stops moving (60 s at most); prints its
# status.
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
