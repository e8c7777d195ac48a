// Owns small form building blocks: a labelled field with hint and error, a password input with
// show/hide, a toggle switch, a segmented control, a progress bar and a state pill.

import { useId, useState, type ReactNode } from "react";
import type { SecretState } from "../bindings/SecretState";
import { useI18n } from "../i18n";
import type { TtlUnit } from "../lib/format";
import { Icon } from "./Icon";

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  optional?: boolean;
  className?: string;
  /** data-testid of the error line. */
  errorTestId?: string;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A label above its control, with an optional hint and error below, wired for screen readers. */
export function Field({ label, hint, error, optional, className, errorTestId, children }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id} className="field-label">
        {label}
        {optional && <span className="field-optional"> ({t("common.optional")})</span>}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
    </div>
  );
}

interface PasswordProps {
  id?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
  testId?: string;
  autoComplete?: string;
}

export function PasswordInput({ id, value, onChange, placeholder, describedBy, invalid, testId, autoComplete = "off" }: PasswordProps) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  return (
    <div className="password">
      <input
        id={id}
        className="input"
        type={shown ? "text" : "password"}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        autoComplete={autoComplete}
        spellCheck={false}
        data-testid={testId}
      />
      <button
        type="button"
        className="icon-button password-toggle"
        onClick={() => setShown((s) => !s)}
        aria-label={shown ? t("common.hide") : t("common.show")}
        aria-pressed={shown}
        data-testid={testId ? `${testId}-toggle` : undefined}
      >
        <Icon name={shown ? "eyeOff" : "eye"} />
      </button>
    </div>
  );
}

interface SwitchProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  hint?: ReactNode;
  testId?: string;
  disabled?: boolean;
}

/** A checkbox drawn as a switch: still a real checkbox for keyboards and screen readers. */
export function Switch({ checked, onChange, label, hint, testId, disabled }: SwitchProps) {
  const id = useId();
  return (
    <div className="switch-row">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="switch"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        data-testid={testId}
      />
      <div className="switch-text">
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} className="field-hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

interface SegmentedProps<T extends string> {
  label: string;
  value: T | null;
  options: ReadonlyArray<{ value: T; label: string }>;
  onChange: (value: T) => void;
  testId?: string;
}

/** A radio group drawn as a segmented control (arrow keys move between options). */
export function Segmented<T extends string>({ label, value, options, onChange, testId }: SegmentedProps<T>) {
  const name = useId();
  return (
    <div className="segmented" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        // The test id sits on the visible label (WebDriver will not click a transparent radio).
        <label
          key={o.value}
          className={o.value === value ? "segment segment-on" : "segment"}
          data-testid={testId ? `${testId}-${o.value}` : undefined}
          data-selected={o.value === value}
        >
          <input type="radio" name={name} value={o.value} checked={o.value === value} onChange={() => onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}

/** Determinate when the fraction is known, an animated stripe otherwise. */
export function ProgressBar({ fraction, label, testId }: { fraction: number | null; label: string; testId?: string }) {
  const percent = fraction === null ? undefined : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className={percent === undefined ? "progress progress-indeterminate" : "progress"}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid={testId}
    >
      {/* Set through the CSSOM (allowed by the CSP), never as a style="" attribute in HTML. */}
      <div className="progress-fill" style={percent === undefined ? undefined : { width: `${percent}%` }} />
    </div>
  );
}

export function StatePill({ state }: { state: SecretState }) {
  const { t } = useI18n();
  const label = { pending: t("state.pending"), viewed: t("state.viewed"), burned: t("state.burned"), expired: t("state.expired") }[state];
  return (
    <span className={`pill pill-${state}`} data-testid="state-pill" data-state={state}>
      <span className="pill-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

/** Minutes, hours or days, worded for `amount` (the number typed beside it: "1 day", "5 дней"). */
export function UnitSelect({ value, amount, onChange, testId }: { value: TtlUnit; amount: string; onChange: (unit: TtlUnit) => void; testId?: string }) {
  const { t, tn } = useI18n();
  const n = /^\d+$/.test(amount.trim()) ? Number(amount.trim()) : 2;
  return (
    <select className="input" value={value} onChange={(e) => onChange(e.target.value as TtlUnit)} aria-label={t("send.customUnit")} data-testid={testId}>
      <option value="minutes">{tn("unit.minutes", n)}</option>
      <option value="hours">{tn("unit.hours", n)}</option>
      <option value="days">{tn("unit.days", n)}</option>
    </select>
  );
}
