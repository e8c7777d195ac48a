//! Links handed to Wisp by other apps: `wisp://` deep links and `https` Wisp links on the
//! command line (a second launch forwards its arguments to the running app).

use tauri::{AppHandle, Runtime};

use crate::shell::{navigate, Navigation};

/// The Wisp links among command-line arguments (or deep-link URLs), as the https (or, for
/// a server on this machine, http) links the desk opens. Anything else is ignored: flags
/// such as `--hidden`, the program path, other URLs.
pub fn wisp_links<S: AsRef<str>>(args: &[S]) -> Vec<String> {
    args.iter().filter_map(|a| from_arg(a.as_ref())).collect()
}

/// `wisp://HOST/PATH#KEY` is the https link `https://HOST/PATH#KEY`; loopback hosts map to
/// http, because a local server (as `scripts/run.sh` starts) has no certificate. A link
/// must carry its key in the fragment: without it nothing could be opened.
fn from_arg(arg: &str) -> Option<String> {
    let arg = arg.trim();
    let link = if let Some(rest) = strip_prefix_ci(arg, "wisp://") {
        let host = rest.split(['/', '#', '?']).next().unwrap_or_default();
        let scheme = if is_loopback(host) { "http" } else { "https" };
        format!("{scheme}://{rest}")
    } else if strip_prefix_ci(arg, "https://").is_some()
        || strip_prefix_ci(arg, "http://").is_some_and(|r| is_loopback(host_of(r)))
    {
        arg.to_owned()
    } else {
        return None;
    };
    let (before, key) = link.split_once('#')?;
    let host = host_of(before.split_once("://")?.1);
    (!host.is_empty() && !key.is_empty()).then_some(link)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn host_of(rest: &str) -> &str {
    rest.split(['/', '#', '?']).next().unwrap_or_default()
}

fn is_loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// Opens whatever Wisp links `args` hold (status first; the UI reveals on click).
pub fn open<R: Runtime, S: AsRef<str>>(app: &AppHandle<R>, args: &[S]) -> bool {
    let links = wisp_links(args);
    if links.is_empty() {
        return false;
    }
    navigate(app, Navigation::Links { links });
    true
}

#[cfg(test)]
mod tests {
    use super::wisp_links;

    #[test]
    fn deep_links_become_the_links_the_desk_opens() {
        assert_eq!(
            wisp_links(&["wisp://wisp.example.com/s/AbC123#k3y"]),
            ["https://wisp.example.com/s/AbC123#k3y"]
        );
        assert_eq!(
            wisp_links(&["WISP://127.0.0.1:8787/s/x#k"]),
            ["http://127.0.0.1:8787/s/x#k"],
            "a server on this machine speaks http"
        );
        assert_eq!(
            wisp_links(&["wisp://localhost/s/x#k"]),
            ["http://localhost/s/x#k"]
        );
    }

    #[test]
    fn command_lines_keep_only_wisp_links() {
        let args = [
            "/usr/bin/wisp-desktop",
            "--hidden",
            "https://wisp.example.com/s/a#key",
            "http://evil.example.com/s/a#key",
            "https://wisp.example.com/s/no-key",
            "https://wisp.example.com/s/empty#",
            "mailto:someone@example.com",
            "http://[::1]:9000/s/b#key",
        ];
        assert_eq!(
            wisp_links(&args),
            [
                "https://wisp.example.com/s/a#key",
                "http://[::1]:9000/s/b#key"
            ],
            "plain http only on loopback; a link needs its key"
        );
        assert!(wisp_links(&["wisp://#k", "wisp:///s/x#k"]).is_empty());
    }
}
