//! A short tour of kickrs. Grows as the facade lands.
//!
//! Run: `cargo run --example quickstart`

fn main() {
    println!("kickrs {} knows {} Kick operations:", env!("CARGO_PKG_VERSION"), kickrs::raw::OPERATIONS.len());
    for op in kickrs::raw::OPERATIONS {
        println!("  {:<6} {:<48} {}", op.method, op.path, op.id);
    }
}
