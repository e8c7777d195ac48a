// Owns the accounts: the list (kind, address, default, token, who can read content), adding
// and editing through a dialog with a connection test, removing (confirmed), the default, and
// what the server holds for kinds that can list it.

import { useEffect, useState, type FormEvent } from "react";
import { api } from "../api";
import type { AccountInput } from "../bindings/AccountInput";
import type { AccountView } from "../bindings/AccountView";
import type { ConnectionReport } from "../bindings/ConnectionReport";
import type { ServerKind } from "../bindings/ServerKind";
import { Field, PasswordInput, Switch, UnitSelect } from "../components/Fields";
import { Icon } from "../components/Icon";
import { ConfirmDialog, Modal } from "../components/Modal";
import { EmptyState, Screen } from "../components/Screen";
import { ServerSecretsDialog } from "../components/ServerSecretsDialog";
import { useToast } from "../components/Toasts";
import { useI18n } from "../i18n";
import { errorMessage, keyedSentence } from "../lib/errors";
import { parseWhole, splitDuration, UNIT_SECONDS, type TtlUnit } from "../lib/format";
import { looksLikeServerUrl } from "../lib/validate";
import { useApp } from "../state";

/** Product names: never translated. */
export const SERVER_KINDS: ReadonlyArray<{ kind: ServerKind; name: string; example: string }> = [
  { kind: "wisp", name: "Wisp", example: "https://wisp.example.com" },
  { kind: "onetime_secret", name: "Onetime Secret", example: "https://us.onetimesecret.com" },
  { kind: "burn_the_secret", name: "Burn the Secret", example: "https://burnthesecret.com" },
  { kind: "seclink", name: "SecLink", example: "https://seclink.example.com" },
  { kind: "seecretit", name: "Seecret.it", example: "https://seecret.it" },
];

export function kindName(kind: ServerKind): string {
  return SERVER_KINDS.find((k) => k.kind === kind)?.name ?? kind;
}

/** Services whose API takes plaintext and encrypts on the server (see the product brief). */
const SERVER_READS: ReadonlySet<ServerKind> = new Set(["onetime_secret", "burn_the_secret", "seecretit"]);

type Editing = { mode: "add" } | { mode: "edit"; account: AccountView } | null;

export function AccountsScreen() {
  const { t } = useI18n();
  const app = useApp();
  const toast = useToast();
  // Arriving from the first-run card opens the add dialog at once.
  const [editing, setEditing] = useState<Editing>(() => (app.intent === "add-account" ? { mode: "add" } : null));
  const [removing, setRemoving] = useState<AccountView | null>(null);
  const [listing, setListing] = useState<AccountView | null>(null);
  const [busy, setBusy] = useState(false);
  const { clearIntent } = app;
  useEffect(() => clearIntent(), [clearIntent]);

  const makeDefault = async (account: AccountView) => {
    try {
      await api.setDefaultAccount(account.id);
      await app.reloadAccounts();
      toast.success(t("accounts.madeDefault", { name: account.name }));
    } catch (e) {
      toast.fail(e);
    }
  };

  const remove = async () => {
    if (!removing) return;
    setBusy(true);
    try {
      await api.removeAccount(removing.id);
      await app.reloadAccounts();
      toast.success(t("accounts.removed"));
      setRemoving(null);
    } catch (e) {
      toast.fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen
      title={t("accounts.title")}
      subtitle={t("accounts.subtitle")}
      testId="screen-accounts"
      actions={
        <button type="button" className="button button-primary" onClick={() => setEditing({ mode: "add" })} data-testid="account-add">
          <Icon name="plus" />
          {t("accounts.add")}
        </button>
      }
    >
      {app.accounts.length === 0 ? (
        <EmptyState
          icon={<Icon name="server" size={32} />}
          title={t("accounts.emptyTitle")}
          text={t("accounts.emptyText")}
          testId="accounts-empty"
          action={
            <button type="button" className="button button-primary" onClick={() => setEditing({ mode: "add" })}>
              <Icon name="plus" />
              {t("accounts.add")}
            </button>
          }
        />
      ) : (
        <ul className="account-list">
          {app.accounts.map((a) => (
            <li key={a.id} className="card account-row" data-testid="account-row" data-id={a.id} data-default={a.is_default}>
              <div className="account-icon" aria-hidden="true">
                <Icon name="server" size={20} />
              </div>
              <div className="account-main">
                <div className="account-name-line">
                  <span className="account-name">{a.name}</span>
                  {a.is_default && (
                    <span className="badge badge-accent" data-testid="account-default-badge">
                      <Icon name="star" size={11} />
                      {t("accounts.default")}
                    </span>
                  )}
                </div>
                <div className="account-meta">
                  <span>{kindName(a.kind)}</span>
                  <span className="mono account-url">{a.url}</span>
                </div>
                <div className="account-tags">
                  <span className="tag" data-testid="account-token-state" data-has-token={a.has_token}>
                    <Icon name="lock" size={12} />
                    {a.has_token ? t("accounts.tokenYes") : t("accounts.tokenNo")}
                  </span>
                  {a.server_reads_content ? (
                    <span className="tag tag-warn" data-testid="account-server-reads">
                      <Icon name="alert" size={12} />
                      {t("accounts.serverReads")}
                    </span>
                  ) : (
                    <span className="tag tag-ok">
                      <Icon name="shield" size={12} />
                      {t("accounts.endToEnd")}
                    </span>
                  )}
                  {!a.notifications && <span className="tag">{t("accounts.notificationsOff")}</span>}
                </div>
              </div>
              <div className="account-actions">
                {a.features.list && (
                  <button type="button" className="button button-small" onClick={() => setListing(a)} data-testid="account-on-server">
                    <Icon name="layers" size={13} />
                    {t("accounts.onServer")}
                  </button>
                )}
                {!a.is_default && (
                  <button type="button" className="button button-small" onClick={() => void makeDefault(a)} data-testid="account-make-default">
                    {t("accounts.makeDefault")}
                  </button>
                )}
                <button type="button" className="button button-small" onClick={() => setEditing({ mode: "edit", account: a })} data-testid="account-edit">
                  <Icon name="edit" size={13} />
                  {t("common.edit")}
                </button>
                <button
                  type="button"
                  className="icon-button"
                  onClick={() => setRemoving(a)}
                  aria-label={`${t("common.remove")} ${a.name}`}
                  title={t("common.remove")}
                  data-testid="account-remove"
                >
                  <Icon name="trash" size={15} />
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {editing && (
        <AccountDialog
          account={editing.mode === "edit" ? editing.account : null}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await app.reloadAccounts();
          }}
        />
      )}

      {listing && <ServerSecretsDialog account={listing} onClose={() => setListing(null)} />}

      {removing && (
        <ConfirmDialog
          title={t("accounts.removeTitle", { name: removing.name })}
          text={t("accounts.removeText")}
          confirmLabel={t("common.remove")}
          danger
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => setRemoving(null)}
        />
      )}
    </Screen>
  );
}

interface DialogProps {
  account: AccountView | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}

type DurationField = { value: string; unit: TtlUnit };

function durationField(secs: number | null): DurationField {
  if (secs === null) return { value: "", unit: "hours" };
  const { value, unit } = splitDuration(secs);
  return { value: String(value), unit };
}

export function AccountDialog({ account, onClose, onSaved }: DialogProps) {
  const { t } = useI18n();
  const toast = useToast();
  const editing = account !== null;
  const [name, setName] = useState(account?.name ?? "");
  const [kind, setKind] = useState<ServerKind>(account?.kind ?? "wisp");
  const [url, setUrl] = useState(account?.url ?? "");
  const [token, setToken] = useState("");
  const [removeToken, setRemoveToken] = useState(false);
  const [ttl, setTtl] = useState<DurationField>(durationField(account?.default_ttl_secs ?? null));
  const [views, setViews] = useState(account?.default_max_views === null || account === null ? "" : String(account.default_max_views));
  const [notifications, setNotifications] = useState(account?.notifications ?? true);
  const [errors, setErrors] = useState<Partial<Record<"name" | "url" | "ttl" | "views" | "form", string>>>({});
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [testError, setTestError] = useState<string | null>(null);

  /** `null` keeps the saved token, `""` removes it (AccountInput's contract). */
  const tokenValue = (): string | null => {
    if (editing) {
      if (removeToken) return "";
      return token === "" ? null : token;
    }
    return token === "" ? null : token;
  };

  const build = (strict: boolean): AccountInput | null => {
    const found: typeof errors = {};
    if (strict && name.trim() === "") found.name = t("account.errName");
    if (!looksLikeServerUrl(url)) found.url = t("account.errUrl");
    let ttlSecs: number | null = null;
    if (ttl.value.trim() !== "") {
      const n = parseWhole(ttl.value, 1, 1_000_000);
      if (n === null) found.ttl = t("account.errTtl");
      else ttlSecs = n * UNIT_SECONDS[ttl.unit];
    }
    let maxViews: number | null = null;
    if (views.trim() !== "") {
      maxViews = parseWhole(views, 0, 100);
      if (maxViews === null) found.views = t("account.errViews");
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return null;
    return {
      name: name.trim(),
      kind,
      url: url.trim(),
      token: tokenValue(),
      default_ttl_secs: ttlSecs,
      default_max_views: maxViews,
      notifications,
    };
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const input = build(true);
    if (!input) return;
    setSaving(true);
    try {
      if (account) await api.updateAccount(account.id, input);
      else await api.addAccount(input);
      toast.success(t("account.saved"));
      await onSaved();
    } catch (err) {
      const message = toast.fail(err);
      setErrors({ form: message });
    } finally {
      setSaving(false);
    }
  };

  const test = async () => {
    const input = build(false);
    if (!input) return;
    setTesting(true);
    setReport(null);
    setTestError(null);
    try {
      setReport(await api.testConnection(input, account?.id ?? null));
    } catch (err) {
      setTestError(errorMessage(err, t("error.generic"), t));
    } finally {
      setTesting(false);
    }
  };

  const example = SERVER_KINDS.find((k) => k.kind === kind)?.example ?? "https://";

  return (
    <Modal title={account ? t("account.editTitle", { name: account.name }) : t("account.addTitle")} onClose={onClose} testId="account-dialog" wide>
      <form className="account-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="form-grid">
          <Field label={t("account.name")} error={errors.name}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input"
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder={t("account.namePlaceholder")}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                data-testid="account-name"
                data-autofocus
              />
            )}
          </Field>
          <Field label={t("account.kind")} hint={SERVER_READS.has(kind) ? undefined : t(kind === "wisp" ? "account.kindEndToEnd" : "account.kindClientEncrypts")}>
            {({ id, describedBy }) => (
              <select
                id={id}
                className="input"
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as ServerKind);
                  setReport(null);
                }}
                aria-describedby={describedBy}
                data-testid="account-kind"
              >
                {SERVER_KINDS.map((k) => (
                  <option key={k.kind} value={k.kind} data-server-reads={SERVER_READS.has(k.kind)}>
                    {`${k.name} — ${SERVER_READS.has(k.kind) ? t("send.serverReads") : t("account.optionEndToEnd")}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {SERVER_READS.has(kind) && (
            <p className="notice notice-warn span-2" role="note" data-testid="account-kind-warning">
              <Icon name="alert" />
              <span>
                <strong>{t("account.kindWarnTitle")}</strong> {t("account.kindReads")}
              </span>
            </p>
          )}
          <Field label={t("account.url")} error={errors.url} className="span-2">
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input mono"
                type="url"
                value={url}
                onChange={(e) => {
                  setUrl(e.target.value);
                  setReport(null);
                }}
                placeholder={example}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                spellCheck={false}
                data-testid="account-url"
              />
            )}
          </Field>
          <Field
            label={t("account.token")}
            hint={`${editing && account.has_token ? t("account.tokenEditHint") : t("account.tokenHint")}${kind === "onetime_secret" ? ` ${t("account.tokenOnetime")}` : ""}`}
            optional
            className="span-2"
          >
            {({ id, describedBy }) => (
              <PasswordInput
                id={id}
                value={removeToken ? "" : token}
                onChange={(v) => {
                  setToken(v);
                  if (v !== "") setRemoveToken(false);
                }}
                placeholder={editing && account.has_token ? t("account.tokenUnchanged") : undefined}
                describedBy={describedBy}
                testId="account-token"
              />
            )}
          </Field>
          {editing && account.has_token && (
            <label className="inline-check span-2">
              <input
                type="checkbox"
                checked={removeToken}
                onChange={(e) => {
                  setRemoveToken(e.target.checked);
                  if (e.target.checked) setToken("");
                }}
                data-testid="account-remove-token"
              />
              <span>{t("account.removeToken")}</span>
            </label>
          )}
          <Field label={t("account.defaultTtl")} error={errors.ttl} hint={ttl.value === "" ? t("account.appDefault") : undefined}>
            {({ id, describedBy, invalid }) => (
              <div className="row-inline">
                <input
                  id={id}
                  className="input input-number"
                  type="number"
                  min={1}
                  value={ttl.value}
                  onChange={(e) => setTtl({ ...ttl, value: e.target.value })}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  data-testid="account-ttl"
                />
                <UnitSelect value={ttl.unit} amount={ttl.value} onChange={(unit) => setTtl({ ...ttl, unit })} testId="account-ttl-unit" />
              </div>
            )}
          </Field>
          <Field label={t("account.defaultViews")} error={errors.views} hint={views === "" ? t("account.appDefault") : t("settings.defaultViewsHint")}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="input input-number"
                type="number"
                min={0}
                max={100}
                value={views}
                onChange={(e) => setViews(e.target.value)}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                data-testid="account-views"
              />
            )}
          </Field>
          <div className="span-2">
            <Switch checked={notifications} onChange={setNotifications} label={t("account.notifications")} testId="account-notifications" />
          </div>
        </div>

        {(report || testError) && (
          <div className={`test-result ${testTone(report, testError, tokenValue() !== "" && (tokenValue() !== null || (account?.has_token ?? false)))}`} role="status" data-testid="account-test-result">
            {testError ? (
              <p>{testError}</p>
            ) : report ? (
              <>
                <p className="test-line" data-reachable={report.reachable}>
                  <Icon name={report.reachable ? "check" : "x"} />
                  {report.reachable ? t("account.reachable") : t("account.unreachable")}
                  {report.server_version && <span className="muted"> · {t("account.version", { version: report.server_version })}</span>}
                </p>
                <p className="test-line" data-authenticated={report.authenticated}>
                  <Icon name={report.authenticated ? "check" : "x"} />
                  {report.authenticated ? t("account.authenticated") : t("account.notAuthenticated")}
                </p>
                {report.message && <p className="muted" data-testid="account-test-message">{keyedSentence(report, t)}</p>}
              </>
            ) : null}
          </div>
        )}

        {errors.form && (
          <p className="field-error" role="alert" data-testid="account-error">
            {errors.form}
          </p>
        )}

        <div className="modal-footer">
          <button type="button" className="button" onClick={() => void test()} disabled={testing} data-testid="account-test">
            {testing ? <span className="spinner" aria-hidden="true" /> : <Icon name="plug" />}
            {testing ? t("account.testing") : t("account.test")}
          </button>
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose} data-testid="account-cancel">
            {t("common.cancel")}
          </button>
          <button type="submit" className="button button-primary" disabled={saving} data-testid="account-save">
            {saving ? t("account.saving") : t("account.save")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Green only when everything asked for works; amber when the server answers but refuses the token. */
function testTone(report: ConnectionReport | null, error: string | null, withToken: boolean): string {
  if (error || !report || !report.reachable) return "test-bad";
  return report.authenticated || !withToken ? "test-ok" : "test-warn";
}
