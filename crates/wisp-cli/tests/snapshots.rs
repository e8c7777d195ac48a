//! Snapshot tests of `wisp`'s help and error output (`tests/cmd/*.toml`): what users and
//! scripts read must only change on purpose. Regenerate with `TRYCMD=overwrite`.

#[test]
fn cli_snapshots() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .env("WISP_CONFIG_DIR", "/nonexistent/wisp-snapshot-config")
        .case("tests/cmd/*.toml");
}
