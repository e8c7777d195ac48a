// Owns opening received links: a free status check first, then an explicit reveal (which
// spends a view) with a passphrase when needed; text shown with Copy/Hide, files saved by Rust.

import { useEffect, useState } from "react";
import { api } from "../api";
import type { LinkStatus } from "../bindings/LinkStatus";
import type { SavedFile } from "../bindings/SavedFile";
import { Field, PasswordInput } from "../components/Fields";
import { Icon } from "../components/Icon";
import { Screen } from "../components/Screen";
import { useToast } from "../components/Toasts";
import { useI18n } from "../i18n";
import { useSensitiveCopy } from "../lib/clipboard";
import { errorCode, errorKey, errorMessage } from "../lib/errors";
import { formatDateTime, formatRelative, formatSize, splitLinks } from "../lib/format";
import { useApp } from "../state";

/** After a reveal: the text on screen, the file saved, the file not saved (dialog dismissed), or the text hidden again. */
type Outcome =
  | { kind: "text"; text: string; viewsLeft: number | null }
  | { kind: "file"; saved: SavedFile; viewsLeft: number | null }
  | { kind: "discarded"; viewsLeft: number | null }
  | { kind: "hidden"; viewsLeft: number | null }
  | null;

export function OpenLinkScreen() {
  const { t, tn, lang } = useI18n();
  const toast = useToast();
  const { settings, intent, clearIntent } = useApp();
  const [input, setInput] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const [status, setStatus] = useState<LinkStatus | null>(null);
  const [checking, setChecking] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [passError, setPassError] = useState<string | null>(null);
  const [revealError, setRevealError] = useState<string | null>(null);
  /** Why the secret is gone, when a reveal just learned it (else the general sentence). */
  const [goneWhy, setGoneWhy] = useState<string | null>(null);
  const [revealing, setRevealing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const links = splitLinks(input);

  const startOver = () => {
    setStatus(null);
    setOutcome(null);
    setPassphrase("");
    setPassError(null);
    setRevealError(null);
    setGoneWhy(null);
  };

  const check = async (given = links) => {
    if (given.length === 0) {
      setInputError(t("open.errEmpty"));
      return;
    }
    setChecking(true);
    setInputError(null);
    startOver();
    try {
      setStatus(await api.inspectLinks(given));
    } catch (e) {
      const message = toast.fail(e);
      setInputError(message);
    } finally {
      setChecking(false);
    }
  };

  // A link opened from another app: fill it in and check its status (never reveal by itself).
  useEffect(() => {
    if (intent && typeof intent === "object" && "links" in intent) {
      const given = [...intent.links];
      clearIntent();
      // An intent from outside the window is an external event: state follows it once.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setInput(given.join("\n"));
      void check(given);
    }
    // check reads the latest state; running on intent alone is the point.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [intent]);

  const reveal = async () => {
    if (!status) return;
    if (status.needs_passphrase && passphrase === "") {
      setPassError(t("open.errPassphrase"));
      return;
    }
    setRevealing(true);
    setPassError(null);
    setRevealError(null);
    const pass = status.needs_passphrase ? passphrase : null;
    try {
      const result = await api.reveal(links, pass);
      setPassphrase("");
      if (result.kind === "text") setOutcome({ kind: "text", text: result.text, viewsLeft: result.views_left });
      else if (result.file) setOutcome({ kind: "file", saved: result.file, viewsLeft: result.views_left });
      else {
        setOutcome({ kind: "discarded", viewsLeft: result.views_left });
        toast.info(t("open.saveCancelled"));
      }
    } catch (e) {
      const key = errorKey(e);
      // Said at the passphrase field or in the "gone" card: not again in a toast.
      const message = errorMessage(e, t("error.generic"), t, tn);
      if (key === "error.wrongPassphraseLeft" || key === "error.wrongPassphrase") {
        // The server counted it: the next try starts from an empty field.
        setPassphrase("");
        setPassError(message);
      } else if (key === "error.tooManyAttempts" || (errorCode(e) === "wrong_passphrase" && status.needs_passphrase)) {
        setPassError(message);
      } else if (key === "error.wrongPassphraseBurned") {
        setPassphrase("");
        setGoneWhy(message);
        setStatus({ ...status, available: false });
      } else {
        setRevealError(toast.fail(e));
        if (errorCode(e) === "unavailable") setStatus({ ...status, available: false });
      }
    } finally {
      setRevealing(false);
    }
  };

  const copy = useSensitiveCopy("secret");

  const now = new Date();
  const missing = status ? Math.max(0, status.parts_needed - status.parts_given) : 0;
  const viewsLeftAfter = outcome?.viewsLeft ?? null;

  return (
    <Screen title={t("open.title")} subtitle={t("open.subtitle")} testId="screen-open">
      <form
        className="card open-form"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
        noValidate
      >
        <Field label={t("open.input")} hint={t("open.inputHint")} error={inputError}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              className="input mono open-input"
              value={input}
              onChange={(e) => {
                setInput(e.target.value);
                setInputError(null);
                if (status) startOver();
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void check();
                }
              }}
              placeholder={t("open.placeholder")}
              rows={3}
              spellCheck={false}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              data-testid="open-input"
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={checking} data-testid="open-check">
            {checking ? <span className="spinner" aria-hidden="true" /> : <Icon name="shield" />}
            {checking ? t("open.checking") : t("open.check")}
          </button>
        </div>
      </form>

      {status && !status.available && (
        <div className="card gone" role="alert" data-testid="open-gone">
          <Icon name="gone" size={28} />
          <div>
            <h2 data-testid="open-gone-why">{goneWhy ?? t("open.gone")}</h2>
            <p className="muted">{t("open.goneHint")}</p>
          </div>
        </div>
      )}

      {status && status.available && outcome === null && (
        <section className="card status-card" data-testid="open-status" aria-live="polite">
          <header className="status-head">
            <Icon name={status.kind === "file" ? "file" : status.kind === "text" ? "text" : "lock"} size={22} />
            <h2 data-testid="open-kind">{status.kind === "file" ? t("open.kindFile") : status.kind === "text" ? t("open.kindText") : t("open.kindUnknown")}</h2>
          </header>
          <dl className="facts">
            {status.size !== null && (
              <div>
                <dt>{t("open.size")}</dt>
                <dd>{formatSize(status.size, lang)}</dd>
              </div>
            )}
            <div>
              <dt>{t("open.views")}</dt>
              <dd data-testid="open-views">{status.views_left === null ? t("open.viewsUnlimited") : tn("open.viewsLeft", status.views_left)}</dd>
            </div>
            {status.expires_at !== null && (
              <div>
                <dt>{t("open.expires")}</dt>
                <dd title={formatDateTime(new Date(status.expires_at), lang)}>{formatRelative(new Date(status.expires_at), now, lang)}</dd>
              </div>
            )}
            <div>
              <dt>{t("open.passphrase")}</dt>
              <dd data-testid="open-needs-passphrase">{status.needs_passphrase ? t("open.needsPassphrase") : t("open.noPassphrase")}</dd>
            </div>
            {status.parts_needed > 1 && (
              <div>
                <dt>{t("open.parts")}</dt>
                <dd data-testid="open-parts">{t("open.partsValue", { given: status.parts_given, needed: status.parts_needed })}</dd>
              </div>
            )}
          </dl>

          {missing > 0 ? (
            <p className="notice notice-info" data-testid="open-parts-missing">
              <Icon name="layers" />
              <span>{tn("open.partsMissing", missing)}</span>
            </p>
          ) : (
            <form
              className="reveal-form"
              onSubmit={(e) => {
                e.preventDefault();
                void reveal();
              }}
              noValidate
            >
              {status.needs_passphrase && (
                <Field label={t("open.passphrase")} hint={t("open.passphraseHint")} error={passError} errorTestId="open-passphrase-error">
                  {({ id, describedBy, invalid }) => (
                    <PasswordInput id={id} value={passphrase} onChange={setPassphrase} describedBy={describedBy} invalid={invalid} testId="open-passphrase" />
                  )}
                </Field>
              )}
              <p className="notice notice-warn" data-testid="open-reveal-warning">
                <Icon name="alert" />
                <span>
                  <strong>{status.views_left === 1 ? t("open.revealWarningLast") : t("open.revealWarning")}</strong> {t("open.revealWhy")}
                </span>
              </p>
              {revealError && (
                <p className="field-error" role="alert" data-testid="open-error">
                  {revealError}
                </p>
              )}
              <div className="form-actions">
                <button type="submit" className="button button-primary" disabled={revealing} data-testid="open-reveal">
                  {revealing ? <span className="spinner" aria-hidden="true" /> : <Icon name={status.kind === "file" ? "download" : "eye"} />}
                  {revealing ? t("open.revealing") : status.kind === "file" ? t("open.revealFile") : t("open.reveal")}
                </button>
              </div>
            </form>
          )}
        </section>
      )}

      {outcome?.kind === "text" && (
        <section className="card revealed" data-testid="open-revealed">
          <header className="status-head">
            <Icon name="text" size={22} />
            <h2>{t("open.textTitle")}</h2>
          </header>
          <pre className="secret-box mono" data-testid="open-revealed-text" tabIndex={0}>
            {outcome.text}
          </pre>
          <p className="muted">{settings.clipboard_clear_secs > 0 ? tn("open.clipboardNote", settings.clipboard_clear_secs) : t("open.clipboardNever")}</p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setOutcome({ kind: "hidden", viewsLeft: outcome.viewsLeft })} data-testid="open-hide">
              <Icon name="eyeOff" />
              {t("common.hide")}
            </button>
            <button type="button" className="button button-primary" onClick={() => void copy(outcome.text)} data-testid="open-copy">
              <Icon name="copy" />
              {t("common.copy")}
            </button>
          </div>
        </section>
      )}

      {outcome?.kind === "file" && (
        <section className="card revealed" data-testid="open-saved">
          <header className="status-head">
            <Icon name="check" size={22} />
            <h2 data-testid="open-saved-path">{t("open.savedTo", { path: outcome.saved.path })}</h2>
          </header>
          <p className="muted">
            {outcome.saved.name} · {formatSize(outcome.saved.size, lang)}
          </p>
        </section>
      )}

      {outcome?.kind === "discarded" && (
        <p className="notice notice-info" data-testid="open-discarded">
          <Icon name="info" />
          <span>{t("open.saveCancelled")}</span>
        </p>
      )}

      {outcome?.kind === "hidden" && (
        <p className="notice notice-info" data-testid="open-hidden">
          <Icon name="eyeOff" />
          <span>{t("open.hidden")}</span>
        </p>
      )}

      {outcome !== null && (
        <div className="after-reveal">
          <p className="muted" data-testid="open-views-after">
            {viewsLeftAfter === 0 ? t("open.lastView") : viewsLeftAfter === null ? "" : tn("open.viewsAfter", viewsLeftAfter)}
          </p>
          <button
            type="button"
            className="button"
            onClick={() => {
              setInput("");
              startOver();
            }}
            data-testid="open-another"
          >
            {t("open.another")}
          </button>
        </div>
      )}
    </Screen>
  );
}
