//! Servers run on threads of their own (one-thread tokio runtimes), apart from the clients' runtime.

use std::future::Future;

/// Runs `server` on a new thread with its own one-thread runtime until the process ends.
pub fn serve_forever(name: &str, server: impl Future<Output = ()> + Send + 'static) {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || one_thread_runtime().block_on(server))
        .expect("server thread");
}

/// Starts `make` on a new server thread and hands back what it returns (e.g. a `MockKick`), while
/// the thread keeps driving the tasks `make` spawned.
pub fn start_on_own_thread<T, F>(name: &str, make: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: Future<Output = T>,
{
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            one_thread_runtime().block_on(async move {
                let _ = sender.send(make().await);
                std::future::pending::<()>().await;
            })
        })
        .expect("server thread");
    receiver.recv().expect("server started")
}

fn one_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime")
}
