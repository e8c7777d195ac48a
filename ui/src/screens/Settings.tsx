// Owns the app's preferences: defaults for new secrets, the clipboard delay, theme, language,
// life in the background (tray, shortcut, start at login, pausing notifications) and updates.
// Choices apply at once; numbers are saved when they are complete (on leaving the field or Enter).

import { useEffect, useState, type KeyboardEvent, type ReactNode } from "react";
import { api } from "../api";
import type { UpdateOffer } from "../bindings/UpdateOffer";
import type { Settings } from "../bindings/Settings";
import type { Theme } from "../bindings/Theme";
import { Segmented, Switch, UnitSelect } from "../components/Fields";
import { Screen } from "../components/Screen";
import { useToast } from "../components/Toasts";
import { UpdateDialog } from "../components/UpdateDialog";
import { LANGS, LANGUAGE_NAMES, useI18n } from "../i18n";
import { formatSize, parseWhole, splitDuration, UNIT_SECONDS, type TtlUnit } from "../lib/format";
import { errorMessage } from "../lib/errors";
import { useApp } from "../state";

const MAX_TTL_VALUE = 100_000;
const MAX_CLIPBOARD_SECS = 3600;

export function SettingsScreen() {
  const { t, tn, lang } = useI18n();
  const { settings, saveSettings, intent, clearIntent } = useApp();
  const toast = useToast();
  const initialTtl = splitDuration(settings.default_ttl_secs);
  const [ttlValue, setTtlValue] = useState(String(initialTtl.value));
  const [ttlUnit, setTtlUnit] = useState<TtlUnit>(initialTtl.unit);
  const [views, setViews] = useState(String(settings.default_max_views));
  const [clipboard, setClipboard] = useState(String(settings.clipboard_clear_secs));
  const [shortcut, setShortcut] = useState(settings.quick_share_shortcut);
  const [endpoint, setEndpoint] = useState(settings.update_endpoint);
  const [errors, setErrors] = useState<Partial<Record<"ttl" | "views" | "clipboard" | "shortcut" | "endpoint", string>>>({});
  const [autostart, setAutostart] = useState<boolean | null>(null);
  const [checking, setChecking] = useState(false);
  const [offer, setOffer] = useState<UpdateOffer | null>(null);
  const [upToDate, setUpToDate] = useState(false);

  useEffect(() => {
    api
      .getAutostart()
      .then(setAutostart)
      .catch(() => setAutostart(null));
  }, []);

  const checkUpdates = async () => {
    setChecking(true);
    setUpToDate(false);
    try {
      const found = await api.checkUpdate();
      setOffer(found);
      setUpToDate(found === null);
    } catch (e) {
      toast.fail(e);
    } finally {
      setChecking(false);
    }
  };

  // "Check for updates…" in the tray lands here.
  useEffect(() => {
    if (intent === "check-updates") {
      clearIntent();
      void checkUpdates();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [intent]);

  const save = async (patch: Partial<Settings>) => {
    const next = { ...settings, ...patch };
    if (Object.entries(patch).every(([k, v]) => settings[k as keyof Settings] === v)) return;
    try {
      await saveSettings(next);
      toast.success(t("settings.saved"));
    } catch (e) {
      toast.fail(e);
    }
  };

  const commitTtl = (value = ttlValue, unit = ttlUnit) => {
    const n = parseWhole(value, 1, MAX_TTL_VALUE);
    if (n === null) {
      setErrors((e) => ({ ...e, ttl: t("settings.errNumber", { min: 1, max: MAX_TTL_VALUE }) }));
      return;
    }
    setErrors((e) => ({ ...e, ttl: undefined }));
    void save({ default_ttl_secs: n * UNIT_SECONDS[unit] });
  };
  const commitViews = () => {
    const n = parseWhole(views, 0, 100);
    if (n === null) {
      setErrors((e) => ({ ...e, views: t("settings.errNumber", { min: 0, max: 100 }) }));
      return;
    }
    setErrors((e) => ({ ...e, views: undefined }));
    void save({ default_max_views: n });
  };
  const commitClipboard = () => {
    const n = parseWhole(clipboard, 0, MAX_CLIPBOARD_SECS);
    if (n === null) {
      setErrors((e) => ({ ...e, clipboard: t("settings.errNumber", { min: 0, max: MAX_CLIPBOARD_SECS }) }));
      return;
    }
    setErrors((e) => ({ ...e, clipboard: undefined }));
    void save({ clipboard_clear_secs: n });
  };
  const commitText = async (key: "shortcut" | "endpoint", patch: Partial<Settings>) => {
    try {
      const next = { ...settings, ...patch };
      if (Object.entries(patch).every(([k, v]) => settings[k as keyof Settings] === v)) return;
      await saveSettings(next);
      setErrors((e) => ({ ...e, [key]: undefined }));
      toast.success(t("settings.saved"));
    } catch (e) {
      // Shown at the field: a taken shortcut or an http address is a fix the user makes there.
      setErrors((old) => ({ ...old, [key]: errorMessage(e, t("settings.errSave"), t) }));
    }
  };
  const toggleAutostart = async (enabled: boolean) => {
    try {
      setAutostart(await api.setAutostart(enabled));
    } catch (e) {
      toast.fail(e);
    }
  };
  const onEnter = (commit: () => void) => (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      commit();
    }
  };

  return (
    <Screen title={t("settings.title")} subtitle={t("settings.subtitle")} testId="screen-settings">
      <div className="settings">
        <section className="card settings-section" aria-labelledby="settings-defaults">
          <h2 id="settings-defaults" className="section-title">
            {t("settings.sectionDefaults")}
          </h2>
          <SettingRow label={t("settings.defaultTtl")} htmlFor="settings-ttl" error={errors.ttl}>
            <div className="row-inline">
              <input
                id="settings-ttl"
                className="input input-number"
                type="number"
                min={1}
                value={ttlValue}
                onChange={(e) => setTtlValue(e.target.value)}
                onBlur={() => commitTtl()}
                onKeyDown={onEnter(() => commitTtl())}
                aria-invalid={Boolean(errors.ttl) || undefined}
                data-testid="settings-ttl"
              />
              <UnitSelect
                value={ttlUnit}
                amount={ttlValue}
                onChange={(unit) => {
                  setTtlUnit(unit);
                  commitTtl(ttlValue, unit);
                }}
                testId="settings-ttl-unit"
              />
            </div>
          </SettingRow>
          <SettingRow label={t("settings.defaultViews")} htmlFor="settings-views" hint={t("settings.defaultViewsHint")} error={errors.views}>
            <input
              id="settings-views"
              className="input input-number"
              type="number"
              min={0}
              max={100}
              value={views}
              onChange={(e) => setViews(e.target.value)}
              onBlur={commitViews}
              onKeyDown={onEnter(commitViews)}
              aria-invalid={Boolean(errors.views) || undefined}
              data-testid="settings-views"
            />
          </SettingRow>
          <div className="setting-row">
            <Switch
              checked={settings.keep_links}
              onChange={(keep_links) => void save({ keep_links })}
              label={t("settings.keepLinks")}
              hint={t("settings.keepLinksHint")}
              testId="settings-keep-links"
            />
          </div>
        </section>

        <section className="card settings-section" aria-labelledby="settings-clipboard">
          <h2 id="settings-clipboard" className="section-title">
            {t("settings.sectionClipboard")}
          </h2>
          <SettingRow label={t("settings.clipboardClear")} htmlFor="settings-clipboard-secs" hint={t("settings.clipboardHint")} error={errors.clipboard}>
            <div className="row-inline">
              <input
                id="settings-clipboard-secs"
                className="input input-number"
                type="number"
                min={0}
                max={MAX_CLIPBOARD_SECS}
                value={clipboard}
                onChange={(e) => setClipboard(e.target.value)}
                onBlur={commitClipboard}
                onKeyDown={onEnter(commitClipboard)}
                aria-invalid={Boolean(errors.clipboard) || undefined}
                data-testid="settings-clipboard"
              />
              <span className="muted">{tn("settings.seconds", parseWhole(clipboard, 0, MAX_CLIPBOARD_SECS) ?? 0)}</span>
            </div>
          </SettingRow>
        </section>

        <section className="card settings-section" aria-labelledby="settings-background">
          <h2 id="settings-background" className="section-title">
            {t("settings.sectionBackground")}
          </h2>
          <div className="setting-row">
            <Switch
              checked={settings.close_to_tray}
              onChange={(close_to_tray) => void save({ close_to_tray })}
              label={t("settings.closeToTray")}
              hint={t("settings.closeToTrayHint")}
              testId="settings-close-to-tray"
            />
          </div>
          <SettingRow label={t("settings.shortcut")} htmlFor="settings-shortcut" hint={t("settings.shortcutHint")} error={errors.shortcut}>
            <input
              id="settings-shortcut"
              className="input"
              value={shortcut}
              placeholder={t("settings.shortcutPlaceholder")}
              onChange={(e) => setShortcut(e.target.value)}
              onBlur={() => void commitText("shortcut", { quick_share_shortcut: shortcut.trim() })}
              onKeyDown={onEnter(() => void commitText("shortcut", { quick_share_shortcut: shortcut.trim() }))}
              aria-invalid={Boolean(errors.shortcut) || undefined}
              spellCheck={false}
              data-testid="settings-shortcut"
            />
          </SettingRow>
          <div className="setting-row">
            <Switch
              checked={autostart ?? false}
              disabled={autostart === null}
              onChange={(on) => void toggleAutostart(on)}
              label={t("settings.autostart")}
              hint={t("settings.autostartHint")}
              testId="settings-autostart"
            />
          </div>
          <div className="setting-row">
            <Switch
              checked={settings.pause_notifications}
              onChange={(pause_notifications) => void save({ pause_notifications })}
              label={t("settings.pauseNotifications")}
              hint={t("settings.pauseNotificationsHint")}
              testId="settings-pause-notifications"
            />
          </div>
        </section>

        <section className="card settings-section" aria-labelledby="settings-updates">
          <h2 id="settings-updates" className="section-title">
            {t("settings.sectionUpdates")}
          </h2>
          <div className="setting-row">
            <Switch
              checked={settings.check_updates}
              onChange={(check_updates) => void save({ check_updates })}
              label={t("settings.checkUpdates")}
              hint={t("settings.checkUpdatesHint")}
              testId="settings-check-updates"
            />
          </div>
          <SettingRow label={t("settings.updateEndpoint")} htmlFor="settings-update-endpoint" error={errors.endpoint}>
            <input
              id="settings-update-endpoint"
              className="input input-wide"
              type="url"
              value={endpoint}
              onChange={(e) => setEndpoint(e.target.value)}
              onBlur={() => void commitText("endpoint", { update_endpoint: endpoint.trim() })}
              onKeyDown={onEnter(() => void commitText("endpoint", { update_endpoint: endpoint.trim() }))}
              aria-invalid={Boolean(errors.endpoint) || undefined}
              spellCheck={false}
              data-testid="settings-update-endpoint"
            />
          </SettingRow>
          <div className="setting-row">
            <p className="field-hint" role="status" data-testid="settings-update-status">
              {upToDate ? t("update.upToDate") : t("settings.updateHint")}
            </p>
            <button type="button" className="button" onClick={() => void checkUpdates()} disabled={checking} data-testid="settings-check-now">
              {checking ? t("settings.checking") : t("settings.checkNow")}
            </button>
          </div>
        </section>

        <section className="card settings-section" aria-labelledby="settings-appearance">
          <h2 id="settings-appearance" className="section-title">
            {t("settings.sectionAppearance")}
          </h2>
          <div className="setting-row">
            <span className="setting-label">{t("settings.theme")}</span>
            <Segmented<Theme>
              label={t("settings.theme")}
              value={settings.theme}
              options={[
                { value: "system", label: t("settings.themeSystem") },
                { value: "light", label: t("settings.themeLight") },
                { value: "dark", label: t("settings.themeDark") },
              ]}
              onChange={(theme) => void save({ theme })}
              testId="settings-theme"
            />
          </div>
          <SettingRow label={t("settings.language")} htmlFor="settings-language">
            <select
              id="settings-language"
              className="input"
              value={settings.language === "" ? "system" : settings.language}
              onChange={(e) => void save({ language: e.target.value })}
              data-testid="settings-language"
            >
              <option value="system">{t("settings.languageSystem")}</option>
              {LANGS.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </SettingRow>
        </section>

        <section className="card settings-section" aria-labelledby="settings-limits">
          <h2 id="settings-limits" className="section-title">
            {t("settings.sectionLimits")}
          </h2>
          <div className="setting-row">
            <div>
              <span className="setting-label">{t("settings.maxUpload")}</span>
              <p className="field-hint">{t("settings.maxUploadHint")}</p>
            </div>
            <output className="setting-value" data-testid="settings-max-upload">
              {formatSize(settings.max_upload_bytes, lang)}
            </output>
          </div>
        </section>
      </div>
      {offer && <UpdateDialog offer={offer} onClose={() => setOffer(null)} />}
    </Screen>
  );
}

interface RowProps {
  label: string;
  htmlFor: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}

function SettingRow({ label, htmlFor, hint, error, children }: RowProps) {
  return (
    <div className="setting-row">
      <div>
        <label className="setting-label" htmlFor={htmlFor}>
          {label}
        </label>
        {hint && <p className="field-hint">{hint}</p>}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="setting-control">{children}</div>
    </div>
  );
}
