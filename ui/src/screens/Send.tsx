// Owns composing and sending: the secret text, files (dropped or picked) with their upload
// progress, every option of a send, validation, and then the one-time result view.

import { useCallback, useState, type FormEvent, type KeyboardEvent } from "react";
import { api, onFilesDropped, onTransferProgress } from "../api";
import type { AccountView } from "../bindings/AccountView";
import type { DroppedFile } from "../bindings/DroppedFile";
import type { SendRequest } from "../bindings/SendRequest";
import type { SentSecret } from "../bindings/SentSecret";
import type { SplitInput } from "../bindings/SplitInput";
import type { TransferProgress } from "../bindings/TransferProgress";
import { Field, PasswordInput, ProgressBar, Segmented, Switch, UnitSelect } from "../components/Fields";
import { Icon } from "../components/Icon";
import { Screen } from "../components/Screen";
import { useToast } from "../components/Toasts";
import { useI18n } from "../i18n";
import { errorCode, errorMessage } from "../lib/errors";
import { useTauriEvent } from "../lib/events";
import { formatDuration, formatSize, splitDuration, UNIT_SECONDS, type TtlUnit } from "../lib/format";
import { checkSplit, checkViews, looksLikeEmail } from "../lib/validate";
import { useApp } from "../state";
import { kindName } from "./Accounts";
import { SendResult, type SentItem } from "./SendResult";
import logo from "../assets/logo.svg";

type Preset = "5m" | "1h" | "1d" | "7d" | "custom";
const PRESET_SECONDS: Readonly<Record<Exclude<Preset, "custom">, number>> = { "5m": 300, "1h": 3600, "1d": 86400, "7d": 604800 };
const PRESETS: readonly Preset[] = ["5m", "1h", "1d", "7d", "custom"];

interface TtlChoice {
  preset: Preset;
  value: string;
  unit: TtlUnit;
}

function ttlChoiceFor(secs: number): TtlChoice {
  const preset = (Object.keys(PRESET_SECONDS) as Array<keyof typeof PRESET_SECONDS>).find((p) => PRESET_SECONDS[p] === secs);
  const { value, unit } = splitDuration(secs);
  return { preset: preset ?? "custom", value: String(value), unit };
}

function ttlSeconds(choice: TtlChoice): number | null {
  if (choice.preset !== "custom") return PRESET_SECONDS[choice.preset];
  const n = Number(choice.value.trim());
  if (!/^\d+$/.test(choice.value.trim()) || n <= 0) return null;
  return n * UNIT_SECONDS[choice.unit];
}

type FileStatus = "ready" | "sending" | "sent" | "cancelled" | "failed";
export interface PendingFile extends DroppedFile {
  status: FileStatus;
  transferId: string | null;
  done: number;
  total: number | null;
  error: string | null;
}

type Errors = Partial<Record<"text" | "split" | "views" | "ttl" | "email" | "files" | "account", string>>;

interface Result {
  items: SentItem[];
  failed: PendingFile[];
  split: SplitInput | null;
}

export function SendScreen({ active }: { active: boolean }) {
  const { t, lang } = useI18n();
  const app = useApp();
  const toast = useToast();
  const { settings, accounts } = app;

  const [accountChoice, setAccountChoice] = useState<string | null>(null);
  const account: AccountView | null =
    accounts.find((a) => a.id === accountChoice) ?? accounts.find((a) => a.is_default) ?? accounts[0] ?? null;

  const [text, setText] = useState("");
  const [files, setFiles] = useState<PendingFile[]>([]);
  // `null` follows the account's (then the app's) defaults until the user picks something.
  const [ttlPick, setTtlPick] = useState<TtlChoice | null>(null);
  const [viewsPick, setViewsPick] = useState<{ unlimited: boolean; text: string } | null>(null);
  const [keepPick, setKeepPick] = useState<boolean | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [splitOn, setSplitOn] = useState(false);
  const [splitTotal, setSplitTotal] = useState("3");
  const [splitNeeded, setSplitNeeded] = useState("2");
  const [note, setNote] = useState("");
  const [email, setEmail] = useState("");
  const [genLength, setGenLength] = useState("24");
  const [genSymbols, setGenSymbols] = useState(true);
  const [errors, setErrors] = useState<Errors>({});
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  // What the account's kind of server supports: options it lacks are not offered.
  const features = account?.features ?? null;
  const offers = {
    files: features?.files ?? true,
    views: features?.max_views ?? true,
    unlimited: features?.unlimited_views ?? true,
    passphrase: features?.passphrase ?? true,
    split: features?.split ?? true,
    note: features?.note ?? true,
    email: features?.recipient_email ?? true,
  };
  const limited = Object.values(offers).some((v) => !v);

  const defaultTtl = account?.default_ttl_secs ?? settings.default_ttl_secs;
  const defaultViews = account?.default_max_views ?? settings.default_max_views;
  const ttl = ttlPick ?? ttlChoiceFor(defaultTtl);
  const views = viewsPick ?? { unlimited: defaultViews === 0, text: String(defaultViews === 0 ? 1 : defaultViews) };
  const keepLink = keepPick ?? settings.keep_links;

  const addFiles = useCallback(
    (dropped: DroppedFile[]) => {
      setFiles((list) => {
        const known = new Set(list.map((f) => f.token));
        const fresh = dropped
          .filter((f) => !known.has(f.token))
          .map<PendingFile>((f) => ({ ...f, status: "ready", transferId: null, done: 0, total: f.size, error: null }));
        return [...list, ...fresh];
      });
      setErrors((e) => ({ ...e, text: undefined, files: undefined }));
    },
    [],
  );

  useTauriEvent(onFilesDropped, (dropped: DroppedFile[]) => {
    if (result) {
      // A new drop after a send starts a new one.
      setResult(null);
    }
    addFiles(dropped);
    app.go("send");
  });

  useTauriEvent(onTransferProgress, (p: TransferProgress) => {
    setFiles((list) => list.map((f) => (f.transferId === p.transfer_id ? { ...f, done: p.done, total: p.total ?? f.total } : f)));
  });

  const chooseFiles = async () => {
    try {
      addFiles(await api.pickFiles());
    } catch (e) {
      if (errorCode(e) !== "cancelled") toast.fail(e);
    }
  };

  const generate = async () => {
    const length = Math.min(128, Math.max(8, Number(genLength) || 24));
    try {
      setText(await api.generatePassword(length, genSymbols));
      setErrors((e) => ({ ...e, text: undefined }));
      toast.info(t("send.generated"));
    } catch (e) {
      toast.fail(e);
    }
  };

  const reset = () => {
    setText("");
    setFiles([]);
    setPassphrase("");
    setNote("");
    setEmail("");
    setSplitOn(false);
    setTtlPick(null);
    setViewsPick(null);
    setKeepPick(null);
    setErrors({});
    setResult(null);
  };

  const validate = (): { request: SendRequest; split: SplitInput | null } | null => {
    const found: Errors = {};
    const sendable = files.filter((f) => f.status !== "sent");
    if (!account) found.account = t("send.errNoAccount");
    if (text.trim() === "" && sendable.length === 0) found.text = t("send.errEmpty");
    if (sendable.some((f) => f.too_large)) found.files = t("send.errTooLarge");
    if (sendable.length > 0 && !offers.files) found.files = t("send.errNoFiles", { kind: kindName(account?.kind ?? "wisp") });
    const ttlSecs = ttlSeconds(ttl);
    if (ttlSecs === null) found.ttl = t("send.errTtl");
    const maxViews = offers.views
      ? checkViews(views.unlimited && offers.unlimited, views.text)
      : views.unlimited && offers.unlimited
        ? 0
        : 1;
    if (typeof maxViews === "string") found.views = t(maxViews);
    let split: SplitInput | null = null;
    if (splitOn && offers.split) {
      const checked = checkSplit(splitNeeded, splitTotal);
      if (typeof checked === "string") found.split = t(checked);
      else split = checked;
    }
    if (offers.email && email.trim() !== "" && !looksLikeEmail(email)) found.email = t("send.errEmail");
    setErrors(found);
    if (Object.keys(found).length > 0 || ttlSecs === null || typeof maxViews === "string") return null;
    return {
      split,
      request: {
        account_id: account?.id ?? null,
        ttl_secs: ttlSecs,
        max_views: maxViews,
        passphrase: passphrase === "" || !offers.passphrase ? null : passphrase,
        split,
        note: note.trim() === "" || !offers.note ? null : note.trim(),
        recipient_email: email.trim() === "" || !offers.email ? null : email.trim(),
        keep_link: keepLink,
      },
    };
  };

  const updateFile = (token: string, patch: Partial<PendingFile>) =>
    setFiles((list) => list.map((f) => (f.token === token ? { ...f, ...patch } : f)));

  const send = async () => {
    if (sending) return;
    const checked = validate();
    if (!checked) return;
    const { request, split } = checked;
    setSending(true);
    const items: SentItem[] = [];
    const failed: PendingFile[] = [];
    try {
      if (text.trim() !== "") {
        try {
          const sent: SentSecret = await api.sendText(text, request);
          items.push({ key: sent.history_id, kind: "text", title: t("result.textSecret"), sent });
          // The plaintext leaves the form as soon as it is sent.
          setText("");
        } catch (e) {
          const message = toast.fail(e);
          setErrors({ text: message });
          return;
        }
      }
      for (const file of files) {
        if (file.status === "sent") continue;
        const transferId = crypto.randomUUID();
        updateFile(file.token, { status: "sending", transferId, done: 0, error: null });
        try {
          const sent = await api.sendFile(file.token, transferId, request);
          updateFile(file.token, { status: "sent", done: file.size });
          items.push({ key: sent.history_id, kind: "file", title: file.name, sent });
        } catch (e) {
          const cancelled = errorCode(e) === "cancelled";
          const message = cancelled ? t("send.fileCancelled") : errorMessage(e, t("error.generic"), t);
          updateFile(file.token, { status: cancelled ? "cancelled" : "failed", error: message });
          failed.push({ ...file, status: cancelled ? "cancelled" : "failed", error: message });
          if (!cancelled) toast.error(`${file.name}: ${message}`);
        }
      }
      if (items.length > 0) {
        setResult({ items, failed, split });
        setPassphrase("");
        setFiles((list) => list.filter((f) => f.status !== "sent"));
        toast.success(t("send.sentToast"));
      }
    } finally {
      setSending(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };

  const onTextKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  if (result) {
    return (
      <Screen
        title={t(result.items.length > 1 || result.split ? "result.titleMany" : "result.title")}
        testId="screen-send"
        hidden={!active}
        actions={
          <button type="button" className="button button-primary" onClick={reset} data-testid="send-another">
            <Icon name="plus" />
            {t("result.sendAnother")}
          </button>
        }
      >
        <SendResult items={result.items} failed={result.failed} split={result.split} />
      </Screen>
    );
  }

  if (app.accountsLoaded && accounts.length === 0) {
    return (
      <Screen title={t("send.title")} subtitle={t("send.subtitle")} testId="screen-send" hidden={!active}>
        <div className="welcome card" data-testid="welcome-card">
          <img className="welcome-logo" src={logo} alt="" width={56} height={56} />
          <h2>{t("welcome.title")}</h2>
          <p>{t("welcome.text")}</p>
          <button type="button" className="button button-primary" onClick={() => app.go("accounts", "add-account")} data-testid="welcome-add-account">
            <Icon name="plus" />
            {t("welcome.button")}
          </button>
        </div>
      </Screen>
    );
  }

  const maxUpload = formatSize(settings.max_upload_bytes, lang);

  return (
    <Screen title={t("send.title")} subtitle={t("send.subtitle")} testId="screen-send" hidden={!active}>
      <form className="send" onSubmit={onSubmit} noValidate>
        <div className="send-grid">
          <div className="send-main">
            <fieldset className="plain" disabled={sending}>
            <Field label={t("send.secret")} error={errors.text}>
              {({ id, describedBy, invalid }) => (
                <textarea
                  id={id}
                  className="input secret-input"
                  value={text}
                  onChange={(e) => {
                    setText(e.target.value);
                    if (errors.text) setErrors((x) => ({ ...x, text: undefined }));
                  }}
                  onKeyDown={onTextKey}
                  placeholder={t("send.secretPlaceholder")}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  spellCheck={false}
                  autoComplete="off"
                  autoCorrect="off"
                  autoCapitalize="off"
                  data-testid="send-text"
                />
              )}
            </Field>
            <div className="generator" role="group" aria-label={t("send.generate")}>
              <button type="button" className="button button-small" onClick={() => void generate()} data-testid="send-generate">
                <Icon name="sparkles" />
                {t("send.generate")}
              </button>
              <label className="inline-field">
                <span>{t("send.generateLength")}</span>
                <input
                  className="input input-number input-tiny"
                  type="number"
                  min={8}
                  max={128}
                  value={genLength}
                  onChange={(e) => setGenLength(e.target.value)}
                  data-testid="send-generate-length"
                />
              </label>
              <label className="inline-check">
                <input type="checkbox" checked={genSymbols} onChange={(e) => setGenSymbols(e.target.checked)} data-testid="send-generate-symbols" />
                <span>{t("send.generateSymbols")}</span>
              </label>
            </div>
            </fieldset>

            {offers.files ? (
            <div className="files-block">
              <div className="field-label">{t("send.files")}</div>
              <div className={files.length > 0 ? "dropzone dropzone-compact" : "dropzone"} data-testid="send-dropzone">
                <Icon name="upload" size={files.length > 0 ? 18 : 26} />
                <span>{t("send.dropHint")}</span>
                <span className="muted">{t("send.dropOr")}</span>
                <button type="button" className="button button-small" onClick={() => void chooseFiles()} disabled={sending} data-testid="send-choose-files">
                  {t("send.chooseFiles")}
                </button>
              </div>
              {files.length > 0 && (
                <ul className="file-list" data-testid="send-file-list">
                  {files.map((f) => (
                    <FileRow
                      key={f.token}
                      file={f}
                      limit={maxUpload}
                      locked={sending}
                      onRemove={() => setFiles((list) => list.filter((x) => x.token !== f.token))}
                      onCancel={() => {
                        if (f.transferId) api.cancelTransfer(f.transferId).catch((e: unknown) => toast.fail(e));
                      }}
                    />
                  ))}
                </ul>
              )}
              {errors.files && (
                <p className="field-error" role="alert">
                  {errors.files}
                </p>
              )}
            </div>
            ) : (
              <p className="notice" data-testid="send-no-files">
                <Icon name="file" />
                <span>{t("send.noFiles", { kind: kindName(account?.kind ?? "wisp") })}</span>
                {errors.files && (
                  <span className="field-error" role="alert">
                    {errors.files}
                  </span>
                )}
              </p>
            )}
          </div>

          <fieldset className="plain send-side" disabled={sending} aria-label={t("send.options")}>
            <Field label={t("send.account")} error={errors.account}>
              {({ id, describedBy }) => (
                <select
                  id={id}
                  className="input"
                  value={account?.id ?? ""}
                  onChange={(e) => {
                    setAccountChoice(e.target.value);
                    setTtlPick(null);
                    setViewsPick(null);
                  }}
                  aria-describedby={describedBy}
                  data-testid="send-account"
                >
                  {accounts.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.server_reads_content ? `${a.name} — ${t("send.serverReads")}` : a.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {account?.server_reads_content && (
              <p className="notice notice-warn" data-testid="send-server-reads">
                <Icon name="alert" />
                <span>
                  <strong>{t("send.serverReads")}.</strong> {t("send.serverReadsNote")}
                </span>
              </p>
            )}
            {account && limited && (
              <p className="notice" data-testid="send-kind-limited">
                <Icon name="info" />
                <span>{t("send.kindLimited", { kind: kindName(account.kind) })}</span>
              </p>
            )}

            <div className="field">
              <span className="field-label" id="ttl-label">
                {t("send.expiresAfter")}
              </span>
              <Segmented<Preset>
                label={t("send.expiresAfter")}
                value={ttl.preset}
                options={PRESETS.map((p) => ({ value: p, label: p === "custom" ? t("send.ttlCustom") : formatDuration(PRESET_SECONDS[p], lang) }))}
                onChange={(preset) => setTtlPick({ ...ttl, preset })}
                testId="send-ttl"
              />
              {ttl.preset === "custom" && (
                <div className="row-inline">
                  <input
                    className="input input-number"
                    type="number"
                    min={1}
                    value={ttl.value}
                    onChange={(e) => setTtlPick({ ...ttl, value: e.target.value })}
                    aria-label={t("send.customTtl")}
                    aria-invalid={Boolean(errors.ttl) || undefined}
                    data-testid="send-ttl-value"
                  />
                  <UnitSelect value={ttl.unit} amount={ttl.value} onChange={(unit) => setTtlPick({ ...ttl, unit })} testId="send-ttl-unit" />
                </div>
              )}
              {errors.ttl && (
                <p className="field-error" role="alert">
                  {errors.ttl}
                </p>
              )}
            </div>

            {(offers.views || offers.unlimited) && (
            <Field label={t("send.maxViews")} error={errors.views}>
              {({ id, describedBy, invalid }) => (
                <div className="row-inline">
                  {offers.views && (
                  <input
                    id={id}
                    className="input input-number"
                    type="number"
                    min={1}
                    max={100}
                    value={views.unlimited ? "" : views.text}
                    disabled={views.unlimited}
                    onChange={(e) => setViewsPick({ ...views, text: e.target.value })}
                    aria-describedby={describedBy}
                    aria-invalid={invalid || undefined}
                    data-testid="send-views"
                  />
                  )}
                  {offers.unlimited && (
                  <label className="inline-check">
                    <input
                      type="checkbox"
                      checked={views.unlimited}
                      onChange={(e) => setViewsPick({ ...views, unlimited: e.target.checked })}
                      data-testid="send-views-unlimited"
                    />
                    <span>{t("send.unlimited")}</span>
                  </label>
                  )}
                </div>
              )}
            </Field>
            )}

            {offers.passphrase && (
            <Field label={t("send.passphrase")} hint={t("send.passphraseHint")} optional>
              {({ id, describedBy }) => (
                <PasswordInput id={id} value={passphrase} onChange={setPassphrase} describedBy={describedBy} testId="send-passphrase" autoComplete="new-password" />
              )}
            </Field>
            )}

            {offers.split && (
            <div className="field">
              <Switch checked={splitOn} onChange={setSplitOn} label={t("send.split")} hint={t("send.splitHint")} testId="send-split" />
              {splitOn && (
                <div className="row-inline split-inputs">
                  <label className="inline-field">
                    <span>{t("send.splitNeeded")}</span>
                    <input
                      className="input input-number input-tiny"
                      type="number"
                      min={2}
                      max={10}
                      value={splitNeeded}
                      onChange={(e) => setSplitNeeded(e.target.value)}
                      aria-invalid={Boolean(errors.split) || undefined}
                      data-testid="send-split-needed"
                    />
                  </label>
                  <label className="inline-field">
                    <span>{t("send.splitTotal")}</span>
                    <input
                      className="input input-number input-tiny"
                      type="number"
                      min={2}
                      max={10}
                      value={splitTotal}
                      onChange={(e) => setSplitTotal(e.target.value)}
                      aria-invalid={Boolean(errors.split) || undefined}
                      data-testid="send-split-total"
                    />
                  </label>
                </div>
              )}
              {errors.split && (
                <p className="field-error" role="alert" data-testid="send-split-error">
                  {errors.split}
                </p>
              )}
            </div>
            )}

            {offers.note && (
            <Field label={t("send.note")} optional>
              {({ id }) => (
                <input id={id} className="input" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("send.notePlaceholder")} data-testid="send-note" />
              )}
            </Field>
            )}

            {offers.email && (
            <Field label={t("send.email")} optional error={errors.email}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  className="input"
                  type="email"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                  autoComplete="email"
                  data-testid="send-email"
                />
              )}
            </Field>
            )}

            <Switch checked={keepLink} onChange={setKeepPick} label={t("send.keepLink")} hint={t("send.keepLinkHint")} testId="send-keep-link" />
          </fieldset>
        </div>
        <div className="send-bar">
          <span className="send-bar-hint muted">
            <Icon name="lock" size={14} />
            {t("send.shortcut")}
          </span>
          <button type="submit" className="button button-primary button-large" disabled={sending} data-testid="send-submit">
            {sending ? <span className="spinner" aria-hidden="true" /> : <Icon name="send" />}
            {sending ? t("send.sending") : t("send.button")}
          </button>
        </div>
      </form>
    </Screen>
  );
}

interface FileRowProps {
  file: PendingFile;
  limit: string;
  locked: boolean;
  onRemove: () => void;
  onCancel: () => void;
}

function FileRow({ file, limit, locked, onRemove, onCancel }: FileRowProps) {
  const { t, tn, lang } = useI18n();
  const fraction = file.total && file.total > 0 ? file.done / file.total : null;
  return (
    <li className={file.too_large ? "file-row file-row-bad" : "file-row"} data-testid="send-file" data-status={file.status} data-name={file.name}>
      <Icon name={file.is_dir ? "folder" : "file"} size={20} className="file-icon" />
      <div className="file-main">
        <div className="file-name-line">
          <span className="file-name" title={file.name}>
            {file.name}
          </span>
          <span className="file-size muted">{formatSize(file.size, lang)}</span>
          {file.is_dir && <span className="badge">{tn("send.folderBadge", file.file_count)}</span>}
        </div>
        {file.too_large && (
          <p className="file-error" data-testid="send-file-too-large">
            {t("send.tooLarge", { limit })}
          </p>
        )}
        {file.status === "sending" && (
          <div className="file-progress">
            <ProgressBar fraction={fraction} label={file.name} testId="send-file-progress" />
            <span className="muted file-progress-text">
              {file.total ? t("send.progress", { done: formatSize(file.done, lang), total: formatSize(file.total, lang) }) : formatSize(file.done, lang)}
            </span>
          </div>
        )}
        {(file.status === "failed" || file.status === "cancelled") && file.error && <p className="file-error">{file.error}</p>}
        {file.status === "sent" && <p className="file-ok">{t("send.fileSent")}</p>}
        {locked && file.status === "ready" && <p className="muted file-note">{t("send.fileWaiting")}</p>}
      </div>
      {file.status === "sending" ? (
        <button type="button" className="button button-small" onClick={onCancel} data-testid="send-file-cancel">
          {t("send.cancelTransfer")}
        </button>
      ) : (
        <button type="button" className="icon-button" onClick={onRemove} disabled={locked} aria-label={t("send.removeFile", { name: file.name })} data-testid="send-file-remove">
          <Icon name="x" />
        </button>
      )}
    </li>
  );
}
