// Owns the history: every secret sent from this computer with its live state, filters by
// account and state, refresh, burn (confirmed), forget, and copying a kept link.

import { useCallback, useEffect, useRef, useState } from "react";
import { api, onHistoryChanged } from "../api";
import type { HistoryFilter } from "../bindings/HistoryFilter";
import type { HistoryItem } from "../bindings/HistoryItem";
import type { SecretState } from "../bindings/SecretState";
import { StatePill } from "../components/Fields";
import { Icon } from "../components/Icon";
import { ConfirmDialog } from "../components/Modal";
import { EmptyState, Screen } from "../components/Screen";
import { useToast } from "../components/Toasts";
import { useI18n } from "../i18n";
import { useSensitiveCopy } from "../lib/clipboard";
import { useTauriEvent } from "../lib/events";
import { formatDateTime, formatRelative } from "../lib/format";
import { useApp } from "../state";

const STATES: readonly SecretState[] = ["pending", "viewed", "burned", "expired"];

function matches(item: HistoryItem, filter: HistoryFilter): boolean {
  return (filter.account_id === null || item.account_id === filter.account_id) && (filter.state === null || item.state === filter.state);
}

/** `history-changed` carries nothing: adapted to the payload-passing shape useTauriEvent wants. */
const onHistoryEvent = (handler: (payload: null) => void) => onHistoryChanged(() => handler(null));

type Pending = { action: "burn" | "forget"; item: HistoryItem } | null;

export function HistoryScreen() {
  const { t } = useI18n();
  const app = useApp();
  const toast = useToast();
  const [filter, setFilter] = useState<HistoryFilter>({ account_id: null, state: null });
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [confirm, setConfirm] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => new Date());
  // A secret asked for from outside (a notification or the tray): shown and outlined.
  const [focused, setFocused] = useState<string | null>(null);
  const filterRef = useRef(filter);
  useEffect(() => {
    filterRef.current = filter;
  });

  const load = useCallback(async () => {
    const wanted = filterRef.current;
    try {
      const list = await api.listHistory(wanted);
      // An answer for filters the user has since changed is dropped.
      if (filterRef.current === wanted) {
        setItems(list);
        setNow(new Date());
      }
    } catch (e) {
      toast.fail(e);
      setItems((old) => old ?? []);
    }
  }, [toast]);

  useEffect(() => {
    void load();
  }, [filter, load]);

  useTauriEvent(onHistoryEvent, () => void load());

  const { intent, clearIntent } = app;
  useEffect(() => {
    if (intent && typeof intent === "object" && "secret" in intent) {
      clearIntent();
      // An intent from outside the window is an external event: state follows it once.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setFocused(intent.secret);
      // Every secret is listed when one is asked for, whatever the filters said.
      setFilter({ account_id: null, state: null });
    }
  }, [intent, clearIntent]);
  useEffect(() => {
    if (!focused || !items) return;
    document.querySelector(`[data-id="${CSS.escape(focused)}"]`)?.scrollIntoView({ block: "center" });
  }, [focused, items]);

  // Relative times ("in 5 minutes") stay true while the screen is open.
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const refresh = async () => {
    setRefreshing(true);
    try {
      // The core answers with the items that changed; the others stay as they are.
      const changed = new Map((await api.refreshHistory()).map((i) => [i.id, i]));
      setItems((list) => (list ?? []).map((i) => changed.get(i.id) ?? i).filter((i) => matches(i, filterRef.current)));
      setNow(new Date());
    } catch (e) {
      toast.fail(e);
    } finally {
      setRefreshing(false);
    }
  };

  const runConfirmed = async () => {
    if (!confirm) return;
    setBusy(true);
    const { action, item } = confirm;
    try {
      if (action === "burn") {
        const updated = await api.burnSecret(item.id);
        setItems((list) => (list ?? []).map((i) => (i.id === item.id ? updated : i)).filter((i) => matches(i, filterRef.current)));
        toast.success(t("history.burned"));
      } else {
        await api.forgetSecret(item.id);
        setItems((list) => (list ?? []).filter((i) => i.id !== item.id));
        toast.success(t("history.forgotten"));
      }
      setConfirm(null);
    } catch (e) {
      toast.fail(e);
    } finally {
      setBusy(false);
    }
  };

  const filtered = filter.account_id !== null || filter.state !== null;

  return (
    <Screen
      title={t("history.title")}
      subtitle={t("history.subtitle")}
      testId="screen-history"
      actions={
        <button type="button" className="button" onClick={() => void refresh()} disabled={refreshing} data-testid="history-refresh">
          {refreshing ? <span className="spinner" aria-hidden="true" /> : <Icon name="refresh" />}
          {refreshing ? t("history.refreshing") : t("history.refresh")}
        </button>
      }
    >
      <div className="toolbar" role="group" aria-label={t("history.title")}>
        <label className="inline-field">
          <span>{t("history.filterAccount")}</span>
          <select
            className="input"
            value={filter.account_id ?? ""}
            onChange={(e) => setFilter({ ...filter, account_id: e.target.value === "" ? null : e.target.value })}
            data-testid="history-filter-account"
          >
            <option value="">{t("history.allAccounts")}</option>
            {app.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t("history.filterState")}</span>
          <select
            className="input"
            value={filter.state ?? ""}
            onChange={(e) => setFilter({ ...filter, state: e.target.value === "" ? null : (e.target.value as SecretState) })}
            data-testid="history-filter-state"
          >
            <option value="">{t("history.allStates")}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>

      {items === null ? (
        <div className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
        </div>
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={<Icon name="inbox" size={32} />}
            title={t("history.noMatch")}
            text=""
            testId="history-no-match"
            action={
              <button type="button" className="button" onClick={() => setFilter({ account_id: null, state: null })}>
                {t("history.showAll")}
              </button>
            }
          />
        ) : (
          <EmptyState
            icon={<Icon name="send" size={32} />}
            title={t("history.emptyTitle")}
            text={t("history.emptyText")}
            testId="history-empty"
            action={
              <button type="button" className="button button-primary" onClick={() => app.go("send")} data-testid="history-send-first">
                {t("history.emptyButton")}
              </button>
            }
          />
        )
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="history-table">
            <thead>
              <tr>
                <th scope="col" className="col-secret">
                  {t("history.colSecret")}
                </th>
                <th scope="col">{t("history.colAccount")}</th>
                <th scope="col">{t("history.colExpires")}</th>
                <th scope="col">{t("history.colViews")}</th>
                <th scope="col">{t("history.colState")}</th>
                <th scope="col" className="col-actions">
                  <span className="sr-only">{t("history.colActions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <Row
                  key={item.id}
                  item={item}
                  now={now}
                  focused={item.id === focused}
                  canBurn={app.accounts.find((a) => a.id === item.account_id)?.features.burn ?? true}
                  onBurn={() => setConfirm({ action: "burn", item })} onForget={() => setConfirm({ action: "forget", item })} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {confirm && (
        <ConfirmDialog
          title={confirm.action === "burn" ? t("history.burnTitle") : t("history.forgetTitle")}
          text={
            confirm.action === "burn"
              ? t("history.burnText")
              : confirm.item.state === "pending"
                ? t("history.forgetTextPending")
                : t("history.forgetTextDone")
          }
          confirmLabel={confirm.action === "burn" ? t("history.burnConfirm") : t("history.forget")}
          danger
          busy={busy}
          onConfirm={() => void runConfirmed()}
          onCancel={() => setConfirm(null)}
        />
      )}
    </Screen>
  );
}

interface RowProps {
  item: HistoryItem;
  now: Date;
  onBurn: () => void;
  onForget: () => void;
  focused: boolean;
  /** The account's kind of server can burn (SecLink cannot). */
  canBurn: boolean;
}

function Row({ item, now, onBurn, onForget, focused, canBurn }: RowProps) {
  const { t, tn, lang } = useI18n();
  const created = new Date(item.created_at);
  const expires = new Date(item.expires_at);
  const views =
    item.max_views === null || item.max_views === 0 ? tn("history.viewsUnlimited", item.views) : tn("history.viewsOf", item.max_views, { used: item.views });
  return (
    <tr data-testid="history-row" data-state={item.state} data-id={item.id} className={focused ? "history-row-focus" : undefined} aria-current={focused || undefined}>
      <td className="col-secret">
        <div className="cell-secret">
          <Icon name={item.kind === "text" ? "text" : "file"} size={18} className="cell-icon" />
          <div className="cell-secret-text">
            <span className="cell-label" title={item.label}>
              {item.label || (item.kind === "text" ? t("result.textSecret") : t("history.untitledFile"))}
            </span>
            <span className="cell-note muted">
              <span title={formatDateTime(created, lang)}>{t("history.sent", { when: formatRelative(created, now, lang) })}</span>
              {item.note && ` · ${item.note}`}
            </span>
          </div>
        </div>
      </td>
      <td className="col-wrap muted">{item.account_name || t("history.removedAccount")}</td>
      <td title={formatDateTime(expires, lang)} className={item.state === "pending" ? "col-wrap" : "col-wrap muted"}>
        {formatRelative(expires, now, lang)}
      </td>
      <td className="col-wrap" data-testid="history-views">{views}</td>
      <td>
        <StatePill state={item.state} />
        {item.state === "burned" && item.burn_reason === "wrong_passphrase" && item.wrong_attempts > 0 && (
          <span className="state-detail muted" data-testid="history-state-detail">
            {tn("history.burnedWrongPassphrases", item.wrong_attempts)}
          </span>
        )}
      </td>
      <td className="col-actions">
        <div className="row-actions">
          {item.links && item.links.length > 0 && <CopyLinks links={item.links} />}
          {item.state === "pending" && canBurn && (
            <button type="button" className="button button-small button-danger-quiet" onClick={onBurn} data-testid="history-burn">
              <Icon name="flame" size={14} />
              {t("history.burn")}
            </button>
          )}
          <button type="button" className="icon-button" onClick={onForget} aria-label={t("history.forget")} title={t("history.forget")} data-testid="history-forget">
            <Icon name="trash" size={15} />
          </button>
        </div>
      </td>
    </tr>
  );
}

function CopyLinks({ links }: { links: string[] }) {
  const { t } = useI18n();
  const copyLink = useSensitiveCopy("link");
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const copy = (url: string) => {
    setOpen(false);
    return copyLink(url);
  };

  if (links.length === 1) {
    return (
      <button
        type="button"
        className="icon-button"
        onClick={() => void copy(links[0]!)}
        aria-label={t("history.copyLink")}
        title={t("history.copyLink")}
        data-testid="history-copy"
      >
        <Icon name="copy" size={15} />
      </button>
    );
  }
  return (
    <div className="menu-anchor" ref={ref}>
      <button
        type="button"
        className="icon-button icon-button-wide"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        aria-label={t("history.copyLink")}
        title={t("history.copyLink")}
        data-testid="history-copy"
      >
        <Icon name="copy" size={15} />
        <Icon name="chevronDown" size={11} />
      </button>
      {open && (
        <ul className="menu" role="menu">
          {links.map((url, i) => (
            <li key={url} role="none">
              <button type="button" role="menuitem" className="menu-item" onClick={() => void copy(url)} data-testid="history-copy-part">
                {t("history.copyPart", { i: i + 1 })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
