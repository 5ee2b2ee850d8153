//! The catalogue is embedded with `include_dir!`, which cargo does not track:
//! rebuild when any file under `guidelines/` changes.
fn main() {
    println!("cargo:rerun-if-changed=guidelines");
}
