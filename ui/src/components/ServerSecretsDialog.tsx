// Owns showing an account's secrets as its server lists them (kinds with `features.list`):
// loading, nothing there, the command's error as a sentence, or a table of state, views and
// dates, with a marker on the secrets this computer's history also has.

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api";
import type { AccountView } from "../bindings/AccountView";
import type { ServerSecret } from "../bindings/ServerSecret";
import { useI18n } from "../i18n";
import { errorMessage } from "../lib/errors";
import { formatDateTime, formatRelative } from "../lib/format";
import { StatePill } from "./Fields";
import { Icon } from "./Icon";
import { Modal } from "./Modal";
import { EmptyState } from "./Screen";

interface Props {
  account: AccountView;
  onClose: () => void;
}

type Listing = { phase: "loading" } | { phase: "ready"; secrets: ServerSecret[]; at: Date } | { phase: "failed"; message: string };

export function ServerSecretsDialog({ account, onClose }: Props) {
  const { t } = useI18n();
  const [listing, setListing] = useState<Listing>({ phase: "loading" });
  // Only the latest request's answer is shown (a refresh may overtake the first load), and
  // none once the dialog is closed.
  const latest = useRef(0);
  const open = useRef(true);
  useEffect(() => {
    open.current = true;
    return () => {
      open.current = false;
    };
  }, []);

  const load = useCallback(async () => {
    const request = ++latest.current;
    let next: Listing;
    try {
      next = { phase: "ready", secrets: await api.listServerSecrets(account.id), at: new Date() };
    } catch (e) {
      next = { phase: "failed", message: errorMessage(e, t("error.generic"), t) };
    }
    if (open.current && latest.current === request) setListing(next);
  }, [account.id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const loading = listing.phase === "loading";
  const refresh = () => {
    if (loading) return;
    setListing({ phase: "loading" });
    void load();
  };

  return (
    <Modal
      title={t("serverList.title", { name: account.name })}
      onClose={onClose}
      testId="account-server-list"
      wide
      className="modal-server-list"
      footer={
        <>
          {/* Not `disabled` while waiting: focus on it would fall out of the dialog. */}
          <button type="button" className="button" onClick={refresh} aria-disabled={loading || undefined} data-testid="server-list-refresh">
            {loading ? <span className="spinner" aria-hidden="true" /> : <Icon name="refresh" />}
            {t("history.refresh")}
          </button>
          <span className="spacer" />
          <button type="button" className="button button-primary" onClick={onClose} data-testid="server-list-close" data-autofocus>
            {t("common.close")}
          </button>
        </>
      }
    >
      <div className="server-list" data-account-id={account.id} data-phase={listing.phase}>
        <p className="field-hint">{t("serverList.intro")}</p>
        {loading ? (
          <div className="loading" role="status" data-testid="server-list-loading">
            <span className="spinner" aria-hidden="true" />
            <span className="sr-only">{t("serverList.loading")}</span>
          </div>
        ) : listing.phase === "failed" ? (
          <p className="field-error" role="alert" data-testid="server-list-error">
            {listing.message}
          </p>
        ) : listing.secrets.length === 0 ? (
          <EmptyState icon={<Icon name="inbox" size={32} />} title={t("serverList.emptyTitle")} text={t("serverList.emptyText")} testId="server-list-empty" />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="server-list-table">
              <thead>
                <tr>
                  <th scope="col" className="col-secret">
                    {t("history.colSecret")}
                  </th>
                  <th scope="col">{t("history.colState")}</th>
                  <th scope="col">{t("history.colViews")}</th>
                  <th scope="col">{t("serverList.colCreated")}</th>
                  <th scope="col">{t("history.colExpires")}</th>
                </tr>
              </thead>
              <tbody>
                {listing.secrets.map((secret) => (
                  <Row key={secret.id} secret={secret} now={listing.at} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Modal>
  );
}

/** A date the server gave (RFC 3339), or null when it gave none or one that does not parse. */
function parseDate(text: string | null): Date | null {
  if (text === null) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

function Row({ secret, now }: { secret: ServerSecret; now: Date }) {
  const { t, tn, lang } = useI18n();
  const note = secret.note?.trim() ? secret.note.trim() : null;
  const unlimited = secret.max_views === null || secret.max_views === 0;
  const number = (n: number) => new Intl.NumberFormat(lang).format(n);
  // "used / max", ∞ without a limit; the full sentence for whoever hovers or reads it out.
  const views = `${secret.views === null ? "—" : number(secret.views)} / ${unlimited ? "∞" : number(secret.max_views!)}`;
  const viewsSentence =
    secret.views === null ? undefined : unlimited ? tn("history.viewsUnlimited", secret.views) : tn("history.viewsOf", secret.max_views!, { used: secret.views });
  return (
    <tr data-testid="server-secret-row" data-id={secret.id} data-state={secret.state} data-in-history={secret.in_history}>
      <td className="col-secret">
        <div className="cell-secret-text">
          <span className={note ? "cell-label" : "cell-label mono"} title={note ?? secret.id} data-testid="server-secret-label">
            {note ?? secret.id}
          </span>
          {secret.in_history && (
            <span className="badge badge-accent server-secret-mark" data-testid="server-secret-in-history">
              <Icon name="history" size={11} />
              {t("serverList.inHistory")}
            </span>
          )}
        </div>
      </td>
      <td>
        <StatePill state={secret.state} />
      </td>
      <td className="server-secret-views" title={viewsSentence} data-testid="server-secret-views">
        <span aria-hidden={viewsSentence ? true : undefined}>{views}</span>
        {viewsSentence && <span className="sr-only">{viewsSentence}</span>}
      </td>
      <DateCell date={parseDate(secret.created_at)} now={now} testId="server-secret-created" />
      <DateCell date={parseDate(secret.expires_at)} now={now} testId="server-secret-expires" />
    </tr>
  );
}

function DateCell({ date, now, testId }: { date: Date | null; now: Date; testId: string }) {
  const { t, lang } = useI18n();
  if (!date) {
    return (
      <td className="col-wrap muted" data-testid={testId}>
        <span aria-hidden="true">—</span>
        <span className="sr-only">{t("serverList.unknown")}</span>
      </td>
    );
  }
  return (
    <td className="col-wrap" title={formatDateTime(date, lang)} data-testid={testId}>
      {formatRelative(date, now, lang)}
    </td>
  );
}
