//! A small pool of analysis threads with a big stack.
//!
//! Parsing hostile mail (deeply nested MIME and HTML) can recurse deeply, so analysis
//! never runs on the async runtime's threads: jobs go through a channel to a few threads
//! built with [`ANALYSIS_STACK`] of stack, and the answer comes back on a oneshot.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Stack for analysis threads (the same margin the CLI gives `scan`).
pub const ANALYSIS_STACK: usize = 64 << 20;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// The job could not be run, or it panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolError;

/// Threads that run analysis jobs.
#[derive(Debug, Clone)]
pub struct Pool {
    tx: Sender<Job>,
}

impl Pool {
    /// Start `threads` analysis threads (at least one).
    pub fn new(threads: usize) -> std::io::Result<Pool> {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads.max(1) {
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name(format!("phishguard-analysis-{i}"))
                .stack_size(ANALYSIS_STACK)
                .spawn(move || worker(&rx))?;
        }
        Ok(Pool { tx })
    }

    /// Run `f` on an analysis thread and wait for its result without blocking the runtime.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let out = catch_unwind(AssertUnwindSafe(f)).map_err(|_| PoolError);
            let _ = done.send(out);
        });
        self.tx.send(job).map_err(|_| PoolError)?;
        result.await.map_err(|_| PoolError)?
    }
}

fn worker(rx: &Mutex<Receiver<Job>>) {
    loop {
        // Hold the lock only while taking a job.
        let job = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return, // the pool is gone
        }
    }
}
