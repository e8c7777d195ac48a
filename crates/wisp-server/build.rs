//! Makes sure the reveal page exists before it is embedded. `scripts/setup.sh` builds the
//! real one (`npm run build` in `reveal/`); a bare `cargo build` on a fresh clone gets a
//! page that says so instead of a compile error.

fn main() {
    let dist = std::path::Path::new("reveal/dist");
    println!("cargo:rerun-if-changed=reveal/dist");
    if !dist.join("index.html").exists() {
        let _ = std::fs::create_dir_all(dist.join("assets"));
        let _ = std::fs::write(
            dist.join("index.html"),
            "<!doctype html><meta charset=utf-8><title>Wisp</title><p>The reveal page was not built. Run scripts/setup.sh, then rebuild the server.</p>\n",
        );
        println!("cargo:warning=reveal/dist was missing: embedded a placeholder page (run scripts/setup.sh)");
    }
}
