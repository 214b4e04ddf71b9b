use async_trait::async_trait;

use super::{ClaimedJob, JobNext, JobStore, JobSystemStore, JobView, NewJob};
use crate::ids::{JobId, MerchantId};
use crate::pagination::ListParams;
use crate::store::sql::{paged, scope_params, Executor, Row, SqlValue};
use crate::store::SqlStore;
use crate::webhooks::Lease;
use crate::{Error, Mode, Scope};

const VIEW_COLUMNS: &str = "job_id, kind, status, attempts, max_attempts, progress_done, progress_total, last_error, run_at_ms, created_at, updated_at";

fn view_from_row(row: &Row) -> Result<JobView, Error> {
    Ok(JobView {
        id: JobId::parse(&row.text("job_id")?)?,
        entity: "job",
        kind: row.text("kind")?,
        status: row.text("status")?,
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        max_attempts: u32::try_from(row.int("max_attempts")?).unwrap_or(u32::MAX),
        progress_done: row.int("progress_done")?,
        progress_total: row.opt_int("progress_total")?,
        last_error: row.opt_text("last_error")?,
        run_at_ms: row.int("run_at_ms")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

fn claimed_from_row(row: &Row, lease: &Lease) -> Result<ClaimedJob, Error> {
    let scope = match (row.opt_text("merchant_id")?, row.opt_text("mode")?) {
        (Some(merchant), Some(mode)) => Some(Scope::new(
            MerchantId::parse(&merchant)?,
            Mode::parse(&mode)?,
        )),
        _ => None,
    };
    let payload = serde_json::from_str(&row.text("payload")?)
        .map_err(|e| Error::Internal(format!("job payload: {e}")))?;
    Ok(ClaimedJob {
        id: JobId::parse(&row.text("job_id")?)?,
        kind: row.text("kind")?,
        scope,
        payload,
        // The claim counted this attempt already.
        attempts: u32::try_from(row.int("attempts")? - 1).unwrap_or(0),
        max_attempts: u32::try_from(row.int("max_attempts")?).unwrap_or(u32::MAX),
        lease_token: lease.token.clone(),
    })
}

#[async_trait]
impl JobStore for SqlStore {
    async fn enqueue_job(&self, job: &NewJob, now_ms: i64) -> Result<Option<JobId>, Error> {
        let id = JobId::generate();
        let payload = serde_json::to_string(&job.payload)
            .map_err(|e| Error::Internal(format!("job payload: {e}")))?;
        let (merchant, mode) = match &job.scope {
            Some(scope) => {
                let [merchant, mode] = scope_params(scope);
                (merchant, mode)
            }
            None => (SqlValue::Null, SqlValue::Null),
        };
        let inserted = self
            .db
            .execute(
                "INSERT INTO jobs (job_id, kind, unique_key, merchant_id, mode, payload, status, attempts, max_attempts,
                                   run_at_ms, progress_done, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $7, $8, 0, $9, $9)
                 ON CONFLICT (unique_key) DO NOTHING",
                &[
                    id.as_str().into(),
                    job.kind.into(),
                    job.unique_key.clone().into(),
                    merchant,
                    mode,
                    payload.into(),
                    job.max_attempts.into(),
                    job.run_at_ms.into(),
                    now_ms.div_euclid(1000).into(),
                ],
            )
            .await?;
        Ok((inserted == 1).then_some(id))
    }

    async fn job(&self, scope: &Scope, id: &JobId) -> Result<Option<JobView>, Error> {
        let mut params = Vec::from(scope_params(scope));
        params.push(id.as_str().into());
        let sql = format!(
            "SELECT {VIEW_COLUMNS} FROM jobs WHERE merchant_id = $1 AND mode = $2 AND job_id = $3"
        );
        self.db
            .query_opt(&sql, &params)
            .await?
            .map(|row| view_from_row(&row))
            .transpose()
    }

    async fn list_jobs(&self, scope: &Scope, params: &ListParams) -> Result<Vec<JobView>, Error> {
        let (sql, values) = paged(
            format!("SELECT {VIEW_COLUMNS} FROM jobs WHERE merchant_id = $1 AND mode = $2"),
            Vec::from(scope_params(scope)),
            params,
            "created_at",
            "job_id",
        );
        self.db
            .query(&sql, &values)
            .await?
            .iter()
            .map(view_from_row)
            .collect()
    }
}

#[async_trait]
impl JobSystemStore for SqlStore {
    async fn claim_jobs(
        &self,
        kinds: &[&str],
        now_ms: i64,
        lease: &Lease,
        limit: u32,
    ) -> Result<Vec<ClaimedJob>, Error> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let mut params: Vec<SqlValue> = vec![
            lease.until_ms.into(),
            lease.token.as_str().into(),
            now_ms.into(),
            limit.into(),
            now_ms.div_euclid(1000).into(),
        ];
        let mut placeholders = Vec::new();
        for kind in kinds {
            params.push((*kind).into());
            placeholders.push(format!("${}", params.len()));
        }
        // A job still `running` with its lease run out belongs to a worker
        // that died: it is taken over (its attempt was counted at its claim).
        // The job's data comes back in the same statement.
        let sql = format!(
            "UPDATE jobs SET status = 'running', lease_until_ms = $1, lease_token = $2, attempts = attempts + 1, updated_at = $5
             WHERE job_id IN (
                 SELECT job_id FROM jobs
                 WHERE status IN ('queued', 'running') AND run_at_ms <= $3
                   AND (lease_until_ms IS NULL OR lease_until_ms < $3)
                   AND attempts < max_attempts AND kind IN ({kinds})
                 ORDER BY run_at_ms LIMIT $4{skip_locked})
             RETURNING job_id, kind, merchant_id, mode, payload, attempts, max_attempts",
            kinds = placeholders.join(", "),
            skip_locked = self.db.dialect().skip_locked(),
        );
        self.db
            .query(&sql, &params)
            .await?
            .iter()
            .map(|row| claimed_from_row(row, lease))
            .collect()
    }

    async fn finish_job(
        &self,
        job: &ClaimedJob,
        next: &JobNext,
        now_ms: i64,
    ) -> Result<bool, Error> {
        let (status, run_at_ms, error) = match next {
            JobNext::Succeeded => ("succeeded", None, None),
            JobNext::RetryAt { run_at_ms, error } => {
                ("queued", Some(*run_at_ms), Some(error.clone()))
            }
            JobNext::Failed(error) => ("failed", None, Some(error.clone())),
        };
        let changed = self
            .db
            .execute(
                "UPDATE jobs SET status = $1, run_at_ms = COALESCE($2, run_at_ms), last_error = COALESCE($3, last_error),
                     lease_until_ms = NULL, lease_token = NULL, updated_at = $4
                 WHERE job_id = $5 AND lease_token = $6",
                &[
                    status.into(),
                    run_at_ms.into(),
                    error.into(),
                    now_ms.div_euclid(1000).into(),
                    job.id.as_str().into(),
                    job.lease_token.as_str().into(),
                ],
            )
            .await?;
        Ok(changed == 1)
    }

    async fn job_progress(
        &self,
        job: &ClaimedJob,
        done: i64,
        total: Option<i64>,
        now_ms: i64,
    ) -> Result<bool, Error> {
        let changed = self
            .db
            .execute(
                "UPDATE jobs SET progress_done = $1, progress_total = $2, updated_at = $3
                 WHERE job_id = $4 AND lease_token = $5",
                &[
                    done.into(),
                    total.into(),
                    now_ms.div_euclid(1000).into(),
                    job.id.as_str().into(),
                    job.lease_token.as_str().into(),
                ],
            )
            .await?;
        Ok(changed == 1)
    }

    async fn purge_finished_jobs(&self, before_secs: i64, batch: u32) -> Result<u64, Error> {
        self.db
            .execute(
                "DELETE FROM jobs WHERE job_id IN (
                     SELECT job_id FROM jobs WHERE status IN ('succeeded', 'failed') AND updated_at < $1 LIMIT $2)",
                &[before_secs.into(), batch.into()],
            )
            .await
    }
}
