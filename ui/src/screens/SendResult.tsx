// Owns the one-time result of a send: each link (or part) with Copy and its QR code, the
// warning that it is shown once, expiry and views, and the way back to a new send.

import { useState } from "react";
import type { LinkView } from "../bindings/LinkView";
import type { SentSecret } from "../bindings/SentSecret";
import type { SplitInput } from "../bindings/SplitInput";
import { Icon } from "../components/Icon";
import { useI18n } from "../i18n";
import { useSensitiveCopy } from "../lib/clipboard";
import { formatDateTime, formatRelative } from "../lib/format";
import type { PendingFile } from "./Send";

export interface SentItem {
  key: string;
  kind: "text" | "file";
  title: string;
  sent: SentSecret;
}

interface Props {
  items: SentItem[];
  failed: PendingFile[];
  split: SplitInput | null;
}

/** The QR code comes from Rust as SVG text: shown as an image, never parsed into the page. */
export function qrSource(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

export function SendResult({ items, failed, split }: Props) {
  const { t, tn, lang } = useI18n();
  const [now] = useState(() => new Date());
  return (
    <div className="result" data-testid="send-result">
      <div className="notice notice-warn notice-strong" role="alert" data-testid="result-warning">
        <Icon name="alert" size={18} />
        <span>{t("result.warning")}</span>
      </div>

      {items.map((item) => {
        const expires = new Date(item.sent.expires_at);
        const views = item.sent.max_views;
        return (
          <article key={item.key} className="card result-item" data-testid="result-item" data-kind={item.kind}>
            <header className="result-item-head">
              <Icon name={item.kind === "text" ? "text" : "file"} size={20} />
              <h2 className="result-item-title">{item.title}</h2>
              <span className="muted result-meta" data-testid="result-meta">
                {t("result.expires", { relative: formatRelative(expires, now, lang), date: formatDateTime(expires, lang) })}
                {" · "}
                {views === null || views === 0 ? t("result.viewsUnlimited") : tn("result.views", views)}
              </span>
            </header>
            {split && item.sent.links.length > 1 && (
              <p className="notice notice-info">
                <Icon name="layers" />
                <span>{t("result.splitNote", { k: split.needed })}</span>
              </p>
            )}
            <ul className="link-list">
              {item.sent.links.map((link, i) => (
                <LinkRow
                  key={link.url}
                  link={link}
                  label={item.sent.links.length > 1 ? t("result.part", { i: i + 1, n: item.sent.links.length }) : t("result.link")}
                />
              ))}
            </ul>
          </article>
        );
      })}

      {failed.length > 0 && (
        <div className="card result-failed" data-testid="result-failed">
          <h2 className="result-item-title">{tn("result.notSent", failed.length)}</h2>
          <ul>
            {failed.map((f) => (
              <li key={f.token}>
                <strong>{f.name}</strong>: {f.error}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function LinkRow({ link, label }: { link: LinkView; label: string }) {
  const { t } = useI18n();
  const copy = useSensitiveCopy("link");
  return (
    <li className="link-row" data-testid="result-link">
      <div className="link-main">
        <div className="link-label" data-testid="result-link-label">
          {label}
        </div>
        <div className="link-field">
          <input
            className="input mono"
            readOnly
            value={link.url}
            aria-label={label}
            onFocus={(e) => e.target.select()}
            data-testid="result-link-url"
          />
          <button type="button" className="button button-primary" onClick={() => void copy(link.url)} data-testid="result-link-copy">
            <Icon name="copy" />
            {t("result.copyLink")}
          </button>
        </div>
      </div>
      {link.qr_svg !== "" && (
        <img className="qr" src={qrSource(link.qr_svg)} alt={t("result.qr", { label })} width={120} height={120} data-testid="result-link-qr" />
      )}
    </li>
  );
}
