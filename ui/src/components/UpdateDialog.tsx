// Owns offering an update: what it is, and installing it only when the user confirms (the
// Rust side verifies its signature against Wisp's built-in key before anything is installed).

import { useState } from "react";
import { api } from "../api";
import type { UpdateOffer } from "../bindings/UpdateOffer";
import { useI18n } from "../i18n";
import { errorMessage } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { Modal } from "./Modal";

interface Props {
  offer: UpdateOffer;
  onClose: () => void;
}

type Phase = { step: "offer" } | { step: "installing" } | { step: "verified" } | { step: "failed"; message: string };

export function UpdateDialog({ offer, onClose }: Props) {
  const { t, lang } = useI18n();
  const [phase, setPhase] = useState<Phase>({ step: "offer" });

  const install = async () => {
    setPhase({ step: "installing" });
    try {
      const result = await api.installUpdate();
      // "restarting": the app is about to restart; nothing more to show.
      if (result === "verified_only") setPhase({ step: "verified" });
    } catch (e) {
      setPhase({ step: "failed", message: errorMessage(e, t("update.failed"), t) });
    }
  };

  const date = offer.date ? new Date(offer.date) : null;
  return (
    <Modal
      title={t("update.title", { version: offer.version })}
      onClose={onClose}
      testId="update-dialog"
      footer={
        phase.step === "offer" || phase.step === "installing" ? (
          <>
            <button type="button" className="button" onClick={onClose} data-testid="update-later">
              {t("update.later")}
            </button>
            <button type="button" className="button button-primary" onClick={() => void install()} disabled={phase.step === "installing"} data-testid="update-install" data-autofocus>
              {phase.step === "installing" ? t("update.installing") : t("update.install")}
            </button>
          </>
        ) : (
          <button type="button" className="button button-primary" onClick={onClose} data-testid="update-close" data-autofocus>
            {t("common.close")}
          </button>
        )
      }
    >
      <p>
        {t("update.text", { version: offer.version, current: offer.current_version })}
        {date && !Number.isNaN(date.getTime()) ? ` ${t("update.published", { date: formatDateTime(date, lang) })}` : ""}
      </p>
      {offer.notes.trim() !== "" && (
        <pre className="update-notes" data-testid="update-notes">
          {offer.notes}
        </pre>
      )}
      <p className="field-hint">{t("update.signed")}</p>
      {phase.step === "verified" && (
        <p className="notice notice-info" role="status" data-testid="update-verified">
          {t("update.verifiedOnly")}
        </p>
      )}
      {phase.step === "failed" && (
        <p className="field-error" role="alert" data-testid="update-error">
          {phase.message}
        </p>
      )}
    </Modal>
  );
}
