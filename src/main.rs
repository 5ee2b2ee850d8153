//! The `canary` command-line tool: a thin layer over the library.

mod cli;

fn main() -> std::process::ExitCode {
    quiet_on_closed_stdout();
    cli::main()
}

/// `println!` panics when stdout is a pipe whose reader has gone (`canary log | head`).
/// Command-line tools stop quietly then, as if killed by SIGPIPE (status 141); Rust
/// ignores SIGPIPE and this crate forbids the `unsafe` needed to restore it.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let closed = info.payload_as_str().is_some_and(|m| {
            m.starts_with("failed printing to stdout") && m.contains("Broken pipe")
        });
        if closed {
            std::process::exit(141);
        }
        default(info);
    }));
}
