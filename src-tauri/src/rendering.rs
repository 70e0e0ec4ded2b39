//! How the webview paints on Linux. WebKitGTK composites through OpenGL; without a GPU (a
//! virtual machine, a remote desktop, Xvfb) Mesa emulates that in software, and scrolling a
//! long table drops to about 15 fps on the 2-core CI machine. With compositing off, WebKit
//! paints directly and scrolls at about 58 fps there (numbers in bench/README.md). A machine
//! with a GPU render node keeps the default, and the variable, when the user sets it, wins.

use std::path::Path;

const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Turns accelerated compositing off when no GPU can do it. Call before any thread starts:
/// it sets an environment variable WebKit reads when it starts.
pub fn paint_directly_without_gpu() {
    let user_chose = std::env::var_os(VARIABLE).is_some();
    let forced_software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v != "0");
    if !user_chose && (forced_software || !has_render_node(Path::new("/dev/dri"))) {
        tracing::debug!("no GPU render node: webview compositing off");
        std::env::set_var(VARIABLE, "1");
    }
}

/// A DRM render node (`renderD128`…) is what a GPU driver offers for OpenGL.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_render_node_counts_as_a_gpu() {
        let dri = tempfile::tempdir().expect("tempdir");
        assert!(!has_render_node(&dri.path().join("missing")));
        // a display-only device (a VM's virtual screen) has card0 and no render node
        std::fs::write(dri.path().join("card0"), b"").expect("card0");
        assert!(!has_render_node(dri.path()));
        std::fs::write(dri.path().join("renderD128"), b"").expect("renderD128");
        assert!(has_render_node(dri.path()));
    }
}
