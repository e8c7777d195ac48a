//! QR codes of links, as SVG the UI shows as an image (no script, no network).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code of `text`, dark on white so phones read it in any theme.
pub fn qr_svg(text: &str) -> String {
    match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .dark_color(svg::Color("#111111"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        // Links are far below QR capacity; an empty image beats failing the send.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn renders_svg() {
        let svg = super::qr_svg("https://wisp.example/s/abc#k=def");
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        assert!(svg.contains("<path") || svg.contains("<rect"));
    }
}
