//! Signed updates (tauri-plugin-updater): look for one at the configured address, offer it,
//! and install it only on confirmation and only if its minisign signature matches the public
//! key built into Wisp (`plugins.updater.pubkey` in tauri.conf.json).

use std::sync::Mutex;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use wisp_desk::views::{Installed, UpdateOffer};
use wisp_desk::{DeskError, ErrorCode};

use crate::DeskState;

/// The update last offered, kept for the confirmation.
#[derive(Default)]
pub struct Offered(Mutex<Option<Update>>);

impl std::fmt::Debug for Offered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Offered(..)")
    }
}

/// Asks the update address whether a newer Wisp exists.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<Option<UpdateOffer>, DeskError> {
    let endpoint = app.state::<DeskState>().settings().update_endpoint;
    let url = tauri::Url::parse(&endpoint)
        .map_err(|e| DeskError::invalid(format!("The update address is not a URL ({e}).")))?;
    #[allow(unused_mut)]
    let mut builder = app
        .updater_builder()
        .endpoints(vec![url])
        .map_err(failed)?
        .timeout(std::time::Duration::from_secs(30));
    // Test builds verify against the test's own key; shipped builds only know Wisp's.
    #[cfg(feature = "e2e")]
    if let Ok(key) = std::env::var("WISP_E2E_UPDATER_PUBKEY") {
        builder = builder.pubkey(key);
    }
    let update = builder
        .build()
        .map_err(failed)?
        .check()
        .await
        .map_err(failed)?;
    let offer = update.as_ref().map(|u| UpdateOffer {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone().unwrap_or_default(),
        date: u
            .date
            .and_then(|d| {
                d.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default(),
    });
    *app.state::<Offered>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = update;
    Ok(offer)
}

/// Downloads the offered update, verifies its signature and installs it.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> Result<Installed, DeskError> {
    let update = app
        .state::<Offered>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| {
            DeskError::new(
                ErrorCode::NotFound,
                "Check for updates first: none is on offer.",
            )
        })?;
    // download() verifies the signature over the whole file before returning it.
    let bytes = update.download(|_, _| {}, || {}).await.map_err(failed)?;
    use tauri::utils::{config::BundleType, platform::bundle_type};
    if !matches!(
        bundle_type(),
        Some(BundleType::Deb | BundleType::Rpm | BundleType::AppImage)
    ) {
        // Installing would overwrite this executable with a package file.
        return Ok(Installed::VerifiedOnly);
    }
    update.install(bytes).map_err(failed)?;
    app.restart()
}

/// The updater's errors as sentences; signature problems get their own code.
fn failed(e: tauri_plugin_updater::Error) -> DeskError {
    use tauri_plugin_updater::Error as E;
    match e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) => DeskError::new(
            ErrorCode::BadSignature,
            "The update was refused: its signature does not match Wisp’s key. Nothing was installed.",
        ),
        E::Reqwest(e) => DeskError::new(
            ErrorCode::Network,
            format!("The update server cannot be reached ({e})."),
        ),
        E::ReleaseNotFound => DeskError::new(
            ErrorCode::Server,
            "The update address did not answer with an update description.",
        ),
        E::TargetNotFound(_) | E::TargetsNotFound(..) => DeskError::new(
            ErrorCode::Unsupported,
            "No update is published for this system yet.",
        ),
        other => DeskError::new(ErrorCode::Server, format!("Updating failed: {other}.")),
    }
}
