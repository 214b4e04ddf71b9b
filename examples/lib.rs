//! Runnable examples of Finvex. The Rust one (`embed.rs`) links the crates
//! directly: `cargo run -p finvex-examples --example embed`. The curl, Node
//! and Python ones talk to a running `finvex-server`.
