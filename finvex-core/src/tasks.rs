//! Running a batch of work a bounded number at a time.

use std::future::Future;

use crate::Error;

/// Runs `work` on every item, at most `concurrency` at once, each on its own
/// task (a panic fails that item only); returns the outcomes, a failed task
/// as an `Internal` error.
pub async fn run_bounded<T, O, F, Fut>(
    items: Vec<T>,
    concurrency: usize,
    work: F,
) -> Vec<Result<O, Error>>
where
    T: Send + 'static,
    O: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<O, Error>> + Send + 'static,
{
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    run_with_permits(items, permits, work).await
}

/// [`run_bounded`] under permits shared with other batches: at most as many
/// items run at once, across all of them, as `permits` has.
pub async fn run_with_permits<T, O, F, Fut>(
    items: Vec<T>,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    work: F,
) -> Vec<Result<O, Error>>
where
    T: Send + 'static,
    O: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<O, Error>> + Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    let mut outcomes = Vec::with_capacity(items.len());
    for item in items {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            outcomes.push(Err(Error::Internal("task semaphore closed".into())));
            continue;
        };
        let future = work(item);
        tasks.spawn(async move {
            let _permit = permit;
            future.await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        outcomes.push(joined.unwrap_or_else(|e| Err(Error::Internal(format!("task failed: {e}")))));
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_the_bound_run_at_once_and_every_item_answers() {
        let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let outcomes = run_bounded((0..20).collect(), 3, |i: i32| {
            let (running, peak) = (running.clone(), peak.clone());
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                running.fetch_sub(1, Ordering::SeqCst);
                if i == 7 {
                    return Err(Error::Internal("seven".into()));
                }
                Ok(i)
            }
        })
        .await;
        assert_eq!(outcomes.len(), 20);
        assert_eq!(outcomes.iter().filter(|o| o.is_err()).count(), 1);
        assert!(peak.load(Ordering::SeqCst) <= 3);
    }
}
