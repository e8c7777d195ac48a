// Owns copying links and secrets: always as sensitive text (the Rust side clears the
// clipboard after settings.clipboard_clear_secs), and saying so in the confirmation.

import { api } from "../api";
import { useToast } from "../components/Toasts";
import { useI18n } from "../i18n";
import { useApp } from "../state";

export function useSensitiveCopy(what: "link" | "secret"): (text: string) => Promise<void> {
  const { t, tn } = useI18n();
  const toast = useToast();
  const { settings } = useApp();
  return async (text) => {
    try {
      await api.copyText(text, true);
      const secs = settings.clipboard_clear_secs;
      if (what === "link") toast.success(secs > 0 ? tn("result.copied", secs) : t("result.copiedNoClear"));
      else toast.success(secs > 0 ? tn("open.copied", secs) : t("open.copiedNoClear"));
    } catch (e) {
      toast.fail(e);
    }
  };
}
