//! Job queue throughput: jobs claimed, run (a no-op handler) and finished
//! per second with one and with two workers ("instances": two queues over
//! one database), printed beside a bare `UPDATE … RETURNING` claim loop on
//! the same database in the same run.
//!
//! `cargo run --release -p finvex-server --example bench_jobs -- [jobs]`
//! SQLite by default; `FINVEX_BENCH_DATABASE_URL=postgres://…` for Postgres
//! (the database is used as is: point it at a scratch database).

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use finvex_core::clock::SystemClock;
use finvex_core::jobs::{ClaimedJob, JobHandler, JobOutcome, JobQueue, NewJob};
use finvex_core::store::sql::Executor;
use finvex_core::store::{SqlStore, SystemStore};

struct Noop;

#[async_trait]
impl JobHandler for Noop {
    fn kind(&self) -> &'static str {
        "bench.noop"
    }
    async fn run(&self, _job: &ClaimedJob) -> JobOutcome {
        JobOutcome::Done
    }
}

async fn enqueue(queue: &JobQueue, jobs: u64) {
    for _ in 0..jobs {
        queue
            .enqueue(&NewJob::new("bench.noop", serde_json::json!({}), 0))
            .await
            .unwrap();
    }
}

/// Jobs per second with `workers` queues draining `jobs` jobs.
async fn drain(store: &Arc<dyn SystemStore>, workers: usize, jobs: u64) -> f64 {
    let queues: Vec<Arc<JobQueue>> = (0..workers)
        .map(|_| {
            Arc::new(
                JobQueue::new(store.clone(), Arc::new(SystemClock), 60_000)
                    .with_handler(Arc::new(Noop)),
            )
        })
        .collect();
    enqueue(&queues[0], jobs).await;
    let started = Instant::now();
    let tasks: Vec<_> = queues
        .into_iter()
        .map(|queue| {
            tokio::spawn(async move {
                let mut done = 0u64;
                loop {
                    let claimed = queue.run_due(64, 16).await.unwrap();
                    if claimed == 0 {
                        return done;
                    }
                    done += claimed as u64;
                }
            })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    assert_eq!(total, jobs, "every job ran exactly once");
    jobs as f64 / started.elapsed().as_secs_f64()
}

/// The same claims without the queue: one `UPDATE … RETURNING` of 64 rows,
/// then one `UPDATE` per row to finish it.
async fn bare(store: &SqlStore, jobs: u64) -> f64 {
    let db = store.db();
    let _ = db
        .execute("DROP TABLE IF EXISTS bench_bare_jobs", &[])
        .await;
    db.execute(
        "CREATE TABLE bench_bare_jobs (id BIGINT PRIMARY KEY, status TEXT NOT NULL)",
        &[],
    )
    .await
    .unwrap();
    for id in 0..jobs as i64 {
        db.execute(
            "INSERT INTO bench_bare_jobs (id, status) VALUES ($1, 'queued')",
            &[id.into()],
        )
        .await
        .unwrap();
    }
    let started = Instant::now();
    loop {
        let rows = db
            .query(
                "UPDATE bench_bare_jobs SET status = 'running' WHERE id IN
                 (SELECT id FROM bench_bare_jobs WHERE status = 'queued' LIMIT 64) RETURNING id",
                &[],
            )
            .await
            .unwrap();
        if rows.is_empty() {
            break;
        }
        for row in rows {
            db.execute(
                "UPDATE bench_bare_jobs SET status = 'done' WHERE id = $1",
                &[row.int(0).unwrap().into()],
            )
            .await
            .unwrap();
        }
    }
    jobs as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let jobs: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5_000);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("FINVEX_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("jobs.db").display()));
    let sql = SqlStore::open(&url).await.unwrap();
    let store: Arc<dyn SystemStore> = Arc::new(sql.clone());
    let engine = store.engine();
    let baseline = bare(&sql, jobs).await;
    let one = drain(&store, 1, jobs).await;
    let two = drain(&store, 2, jobs).await;
    println!("{jobs} jobs on {engine}");
    println!(
        "{:<46} {baseline:>10.0} jobs/s",
        "bare UPDATE … RETURNING claim + finish"
    );
    println!(
        "{:<46} {one:>10.0} jobs/s ({:.0}%)",
        "job queue, 1 worker",
        100.0 * one / baseline
    );
    println!(
        "{:<46} {two:>10.0} jobs/s ({:.0}%)",
        "job queue, 2 workers",
        100.0 * two / baseline
    );
}
