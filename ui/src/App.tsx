// Owns the window: sidebar navigation, the shared state (settings, accounts), theme and
// language, the drag-and-drop overlay, and which screen is shown.

import { getCurrentWebview } from "@tauri-apps/api/webview";
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, onNavigate, onSettingsChanged, onUpdateAvailable } from "./api";
import type { AccountView } from "./bindings/AccountView";
import type { Navigation } from "./bindings/Navigation";
import type { UpdateOffer } from "./bindings/UpdateOffer";
import type { Settings } from "./bindings/Settings";
import { Icon, type IconName } from "./components/Icon";
import { ToastProvider, useToast } from "./components/Toasts";
import { UpdateDialog } from "./components/UpdateDialog";
import { I18nProvider, resolveLang, useI18n, type TextKey } from "./i18n";
import { stopListening, useTauriEvent } from "./lib/events";
import { applyTheme } from "./lib/theme";
import { AccountsScreen } from "./screens/Accounts";
import { HistoryScreen } from "./screens/History";
import { OpenLinkScreen } from "./screens/OpenLink";
import { SendScreen } from "./screens/Send";
import { SettingsScreen } from "./screens/Settings";
import { AppContext, DEFAULT_SETTINGS, SCREENS, type AppState, type Intent, type Screen } from "./state";
import logo from "./assets/logo.svg";

const NAV: ReadonlyArray<{ screen: Screen; icon: IconName; label: TextKey }> = [
  { screen: "send", icon: "send", label: "nav.send" },
  { screen: "history", icon: "history", label: "nav.history" },
  { screen: "open", icon: "link", label: "nav.open" },
  { screen: "accounts", icon: "server", label: "nav.accounts" },
  { screen: "settings", icon: "settings", label: "nav.settings" },
];

export function App() {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [settingsLoaded, setSettingsLoaded] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const lang = resolveLang(settings.language, typeof navigator === "undefined" ? [] : navigator.languages);

  useEffect(() => {
    let live = true;
    api
      .getSettings()
      .then((s) => live && setSettings(s))
      .catch((e: unknown) => live && setLoadError(e))
      .finally(() => live && setSettingsLoaded(true));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => applyTheme(settings.theme), [settings.theme]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <I18nProvider lang={lang}>
      <ToastProvider>
        {settingsLoaded ? <Shell settings={settings} setSettings={setSettings} loadError={loadError} /> : <Splash />}
      </ToastProvider>
    </I18nProvider>
  );
}

function Splash() {
  const { t } = useI18n();
  return (
    <div className="splash" role="status">
      <img src={logo} alt="" width={40} height={40} />
      <span>{t("app.loading")}</span>
    </div>
  );
}

interface ShellProps {
  settings: Settings;
  setSettings: (s: Settings) => void;
  loadError: unknown;
}

function Shell({ settings, setSettings, loadError }: ShellProps) {
  const { t } = useI18n();
  const toast = useToast();
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [accountsLoaded, setAccountsLoaded] = useState(false);
  const [screen, setScreen] = useState<Screen>("send");
  const [intent, setIntent] = useState<AppState["intent"]>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    if (loadError) toast.fail(loadError);
    // Reported once, when the window opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const reloadAccounts = useCallback(async () => {
    try {
      setAccounts(await api.listAccounts());
    } catch (e) {
      toast.fail(e);
    } finally {
      setAccountsLoaded(true);
    }
  }, [toast]);

  // Loaded once here; screens that change accounts call reloadAccounts.
  useEffect(() => {
    let live = true;
    api
      .listAccounts()
      .then((list) => live && setAccounts(list))
      .catch((e: unknown) => live && toast.fail(e))
      .finally(() => live && setAccountsLoaded(true));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const saveSettings = useCallback(
    async (next: Settings) => {
      const saved = await api.saveSettings(next);
      setSettings(saved);
      return saved;
    },
    [setSettings],
  );

  // The tray can pause notifications: show what the Rust side now keeps.
  const reloadSettings = useCallback(() => {
    api
      .getSettings()
      .then(setSettings)
      .catch(() => undefined);
  }, [setSettings]);
  useTauriEvent(onSettingsChanged, reloadSettings);

  const go = useCallback((next: Screen, nextIntent?: Intent) => {
    setScreen(next);
    setIntent(nextIntent ?? null);
  }, []);
  const clearIntent = useCallback(() => setIntent(null), []);

  // Asked from outside: a link opened in another app (also the one Wisp started with), a
  // tray item, a clicked notification.
  const navigate = useCallback(
    (to: Navigation) => {
      if (to.to === "links") go("open", { links: to.links });
      else if (to.to === "secret") go("history", { secret: to.id });
      else go("settings", "check-updates");
    },
    [go],
  );
  useTauriEvent(onNavigate, navigate);
  useEffect(() => {
    api
      .pendingNavigation()
      .then((to) => to && navigate(to))
      .catch(() => undefined);
    // Once, when the window opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const [update, setUpdate] = useState<UpdateOffer | null>(null);
  useTauriEvent(onUpdateAvailable, setUpdate);

  // The overlay only: the files themselves arrive through `files-dropped` (see Send).
  useEffect(() => {
    let stop: (() => void) | undefined;
    let gone = false;
    try {
      getCurrentWebview()
        .onDragDropEvent((event) => {
          const type = event.payload.type;
          setDragging(type === "enter" || type === "over");
        })
        .then((unlisten) => {
          if (gone) stopListening(unlisten);
          else stop = unlisten;
        })
        .catch(() => undefined);
    } catch {
      // Not inside a Tauri webview.
    }
    return () => {
      gone = true;
      stopListening(stop);
    };
  }, []);

  // Ctrl/Cmd + 1…5 switch sections, as in most desktop apps.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const index = Number(e.key) - 1;
      const target = SCREENS[index];
      if (target) {
        e.preventDefault();
        go(target);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go]);

  const state = useMemo<AppState>(
    () => ({ settings, saveSettings, accounts, accountsLoaded, reloadAccounts, screen, go, intent, clearIntent }),
    [settings, saveSettings, accounts, accountsLoaded, reloadAccounts, screen, go, intent, clearIntent],
  );

  return (
    <AppContext.Provider value={state}>
      <div className="app">
        <nav className="sidebar" aria-label={t("nav.label")}>
          <div className="brand">
            <img src={logo} alt="" width={28} height={28} />
            <span className="brand-name">Wisp</span>
          </div>
          <ul className="nav">
            {NAV.map((item, i) => (
              <li key={item.screen}>
                <button
                  type="button"
                  className={screen === item.screen ? "nav-item nav-item-on" : "nav-item"}
                  aria-current={screen === item.screen ? "page" : undefined}
                  onClick={() => go(item.screen)}
                  data-testid={`nav-${item.screen}`}
                  title={t("nav.shortcutTitle", { label: t(item.label), n: i + 1 })}
                >
                  <Icon name={item.icon} size={17} />
                  <span>{t(item.label)}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="sidebar-foot">
            <Icon name="shield" size={14} />
            <span>{t("app.tagline")}</span>
          </div>
        </nav>
        <main className="content">
          {/* Send stays mounted so that a draft and uploads in progress survive a look elsewhere. */}
          <SendScreen active={screen === "send"} />
          {screen === "history" && <HistoryScreen />}
          {screen === "open" && <OpenLinkScreen />}
          {screen === "accounts" && <AccountsScreen />}
          {screen === "settings" && <SettingsScreen />}
        </main>
      </div>
      {update && <UpdateDialog offer={update} onClose={() => setUpdate(null)} />}
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <Icon name="upload" size={40} />
            <p className="drop-overlay-title">{t("drop.overlay")}</p>
            <p className="drop-overlay-hint">{t("drop.overlayHint")}</p>
          </div>
        </div>
      )}
    </AppContext.Provider>
  );
}
