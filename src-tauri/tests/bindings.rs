//! `ui/src/bindings.ts` is generated from the Rust commands. This test regenerates it and fails
//! when the committed file was stale, so CI catches a command changed without its bindings.
#![allow(clippy::unwrap_used)]

use specta_typescript::Typescript;

#[test]
fn typescript_bindings_are_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    whodis_admin_lib::specta_builder()
        // ids and counts are far below 2^53, so plain numbers are exact
        .dangerously_cast_bigints_to_number()
        .export(
            Typescript::default()
                .header("// Generated from the Rust commands by `cargo test -p whodis-admin --test bindings`. Do not edit.\n"),
            &path,
        )
        .unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("export const commands"));
    assert!(
        before == after,
        "ui/src/bindings.ts was stale and has been regenerated; commit the new file"
    );
}
