//! Talking to the orchestration server's REST API (`/v1`): create a task, read it back, and
//! wait for it to finish.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// How long callers wait for a task by default: an order's five steps take well under a
/// second, and a worker working through a backlog first needs more.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// How often callers poll by default: completion is seen within 50 ms, at one small GET
/// per poll. Tasks that run for minutes want a longer interval.
pub const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// How many times `create_task` sends a request Tasker answers with 5xx.
pub const CREATE_ATTEMPTS: u32 = 3;
/// The pause before the second attempt; the third waits twice as long.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

#[derive(Clone)]
pub struct TaskerApi {
    base_url: String,
    http: reqwest::Client,
    /// Sent as `X-API-Key` when the orchestration API has API keys on.
    api_key: Option<reqwest::header::HeaderValue>,
}

/// What went wrong, in terms the app can map to an HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum TaskerError {
    #[error("Tasker is unreachable at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("Tasker already has this task (409), and it was not found: {0}")]
    Duplicate(String),
    #[error("{0}")]
    NotIdentifiable(String),
    #[error("Tasker answered {status}: {body}")]
    Rejected { status: u16, body: String },
}

// ANCHOR: task_request
/// The body of `POST /v1/tasks`; every field is required. Tasker identifies a task by
/// name, namespace, version and `context`: the same four again are answered with 409.
#[derive(Debug, Serialize)]
pub struct TaskRequest {
    pub name: String,
    pub namespace: String,
    pub version: String,
    pub context: Value,
    pub initiator: String,
    pub source_system: String,
    pub reason: String,
}
// ANCHOR_END: task_request

/// The fields of `GET /v1/tasks/{uuid}` this app reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Task {
    pub task_uuid: Uuid,
    pub name: String,
    pub namespace: String,
    pub status: String,
    #[serde(default)]
    pub total_steps: i64,
    #[serde(default)]
    pub completed_steps: i64,
    #[serde(default)]
    pub completion_percentage: f64,
}

/// One entry of `GET /v1/tasks/{uuid}/workflow_steps`.
#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    pub step_uuid: Uuid,
    pub name: String,
    pub current_state: String,
    #[serde(default)]
    pub attempts: i64,
    #[serde(default)]
    pub results: Option<Value>,
    /// When the step finished, as Tasker wrote it (RFC 3339 or a naive UTC timestamp).
    #[serde(default)]
    pub completed_at: Option<String>,
}

impl Step {
    /// The handler's return value, for a completed step.
    pub fn result(&self) -> Option<&Value> {
        self.results.as_ref().and_then(|r| r.get("result"))
    }
}

/// Why `wait_for_task_completion` gave up.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    #[error("task {task_uuid} ended as `{status}`; failed steps: {failures}")]
    Failed {
        task_uuid: Uuid,
        status: String,
        failures: String,
    },
    #[error(
        "task {task_uuid} not complete after {waited:?}: last status `{status}`, unfinished steps: {pending}"
    )]
    TimedOut {
        task_uuid: Uuid,
        status: String,
        waited: Duration,
        pending: String,
    },
    #[error(transparent)]
    Api(#[from] TaskerError),
}

/// Task states after which waiting longer cannot lead to `complete`.
const STOPPED: &[&str] = &[
    "error",
    "cancelled",
    "resolved_manually",
    "blocked_by_failures",
];

impl TaskerApi {
    pub fn new(base_url: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("building the HTTP client");
        TaskerApi {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            http,
            api_key: None,
        }
    }

    // ANCHOR: api_key
    /// Authenticates every request with `key` (the `X-API-Key` header), marked
    /// sensitive so that it stays out of logs and `Debug` output.
    pub fn with_api_key(mut self, key: Option<&str>) -> Self {
        self.api_key = key.map(|key| {
            let mut value = reqwest::header::HeaderValue::from_str(key)
                .expect("an API key is printable ASCII");
            value.set_sensitive(true);
            value
        });
        self
    }
    // ANCHOR_END: api_key

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    async fn send(
        &self,
        req: reqwest::RequestBuilder,
        url: &str,
    ) -> Result<reqwest::Response, TaskerError> {
        let req = match &self.api_key {
            Some(key) => req.header("X-API-Key", key.clone()),
            None => req,
        };
        req.send().await.map_err(|e| TaskerError::Unreachable {
            url: url.to_string(),
            reason: root_cause(&e),
        })
    }

    // ANCHOR: create_task
    /// `POST /v1/tasks`, safe to repeat. Tasker 0.1.8 can answer 5xx for a task it did
    /// create, so a 5xx is answered by sending the same request again (at most
    /// [`CREATE_ATTEMPTS`] times). Tasker identifies a task by its template and context,
    /// so a 409 means a task of this very request exists (an earlier attempt, or an
    /// earlier request that got no answer): it is looked up by the context field
    /// `identified_by` (`order_id`, `job_id`) and returned as the one created.
    pub async fn create_task(
        &self,
        request: &TaskRequest,
        identified_by: &str,
    ) -> Result<Task, TaskerError> {
        let key = request.context.get(identified_by).ok_or_else(|| {
            TaskerError::NotIdentifiable(format!(
                "the task context has no `{identified_by}` to find the task by"
            ))
        })?;
        let mut attempt = 1;
        loop {
            match self.post_task(request).await {
                Err(TaskerError::Duplicate(body)) => {
                    return self
                        .find_task(request, identified_by, key)
                        .await?
                        .ok_or(TaskerError::Duplicate(body));
                }
                Err(TaskerError::Rejected { status, body })
                    if status >= 500 && attempt < CREATE_ATTEMPTS =>
                {
                    eprintln!("Tasker answered {status} (attempt {attempt}): {body}");
                    tokio::time::sleep(RETRY_PAUSE * attempt).await;
                    attempt += 1;
                }
                Err(TaskerError::Rejected { status, body }) if status >= 500 => {
                    let body = format!("{body} (after {attempt} attempts)");
                    return Err(TaskerError::Rejected { status, body });
                }
                outcome => return outcome,
            }
        }
    }

    /// The newest task of the request's template whose context field `field` is `key`.
    /// The list is newest first, and the task sought was asked for moments ago.
    async fn find_task(
        &self,
        request: &TaskRequest,
        field: &str,
        key: &Value,
    ) -> Result<Option<Task>, TaskerError> {
        #[derive(Deserialize)]
        struct Listed {
            task_uuid: Uuid,
            name: String,
            context: Value,
        }
        #[derive(Deserialize)]
        struct Page {
            tasks: Vec<Listed>,
        }
        let path = format!("/v1/tasks?namespace={}&per_page=100", request.namespace);
        let page: Page = self.get_json(&path).await?;
        let found = page
            .tasks
            .into_iter()
            .find(|t| t.name == request.name && t.context.get(field) == Some(key));
        match found {
            Some(listed) => self.get_task(listed.task_uuid).await.map(Some),
            None => Ok(None),
        }
    }
    // ANCHOR_END: create_task

    /// One `POST /v1/tasks`, its answer as it came.
    pub async fn post_task(&self, request: &TaskRequest) -> Result<Task, TaskerError> {
        let url = format!("{}/v1/tasks", self.base_url);
        let response = self.send(self.http.post(&url).json(request), &url).await?;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        match status {
            200 | 201 => serde_json::from_str(&body).map_err(|e| TaskerError::Rejected {
                status,
                body: format!("unexpected body ({e}): {body}"),
            }),
            409 => Err(TaskerError::Duplicate(body)),
            _ => Err(TaskerError::Rejected { status, body }),
        }
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, TaskerError> {
        let url = format!("{}{path}", self.base_url);
        let response = self.send(self.http.get(&url), &url).await?;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        if status != 200 {
            return Err(TaskerError::Rejected { status, body });
        }
        serde_json::from_str(&body).map_err(|e| TaskerError::Rejected {
            status,
            body: format!("unexpected body ({e}): {body}"),
        })
    }

    pub async fn get_task(&self, task_uuid: Uuid) -> Result<Task, TaskerError> {
        self.get_json(&format!("/v1/tasks/{task_uuid}")).await
    }

    pub async fn get_task_steps(
        &self,
        task_uuid: Uuid,
    ) -> Result<Vec<Step>, TaskerError> {
        self.get_json(&format!("/v1/tasks/{task_uuid}/workflow_steps"))
            .await
    }

    pub async fn get_step(
        &self,
        task_uuid: Uuid,
        step_uuid: Uuid,
    ) -> Result<Step, TaskerError> {
        self.get_json(&format!("/v1/tasks/{task_uuid}/workflow_steps/{step_uuid}"))
            .await
    }

    // ANCHOR: wait_for_task_completion
    /// Polls until the task is `complete`, has stopped for good, or `max_wait` passed.
    /// Polls every `poll_interval` ([`POLL_INTERVAL`] suits tasks of a few seconds); the
    /// first polls come sooner (10, 20, 40 ms …): most tasks finish within a second.
    pub async fn wait_for_task_completion(
        &self,
        task_uuid: Uuid,
        max_wait: Duration,
        poll_interval: Duration,
    ) -> Result<Task, WaitError> {
        let started = Instant::now();
        let mut interval = poll_interval.min(Duration::from_millis(10));
        loop {
            let task = self.get_task(task_uuid).await?;
            if task.status == "complete" {
                return Ok(task);
            }
            if STOPPED.contains(&task.status.as_str()) {
                let steps = self.get_task_steps(task_uuid).await?;
                let failures = describe(
                    &steps,
                    |s| matches!(s.current_state.as_str(), "error" | "failed"),
                    true,
                );
                return Err(WaitError::Failed {
                    task_uuid,
                    status: task.status,
                    failures,
                });
            }
            if started.elapsed() >= max_wait {
                let steps = self.get_task_steps(task_uuid).await?;
                let pending = describe(&steps, |s| s.current_state != "complete", false);
                return Err(WaitError::TimedOut {
                    task_uuid,
                    status: task.status,
                    waited: started.elapsed(),
                    pending,
                });
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(poll_interval);
        }
    }
    // ANCHOR_END: wait_for_task_completion
}

fn describe(steps: &[Step], pick: impl Fn(&Step) -> bool, with_error: bool) -> String {
    let parts: Vec<String> = steps
        .iter()
        .filter(|s| pick(s))
        .map(|s| {
            let error = s
                .results
                .as_ref()
                .and_then(|r| r.get("error"))
                .filter(|e| !e.is_null());
            match error {
                Some(e) if with_error => {
                    format!("{} ({}): {}", s.name, s.current_state, e)
                }
                _ => format!("{} ({})", s.name, s.current_state),
            }
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    format!("{e}: {cause}")
}
