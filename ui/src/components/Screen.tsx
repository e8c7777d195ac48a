// Owns the frame of every screen: a title bar with its subtitle and actions, then the body.

import type { ReactNode } from "react";

interface ScreenProps {
  title: string;
  subtitle?: string;
  actions?: ReactNode;
  children: ReactNode;
  testId: string;
  hidden?: boolean;
}

export function Screen({ title, subtitle, actions, children, testId, hidden }: ScreenProps) {
  return (
    <section className="screen" aria-label={title} data-testid={testId} hidden={hidden}>
      <header className="screen-head">
        <div className="screen-titles">
          <h1 className="screen-title">{title}</h1>
          {subtitle && <p className="screen-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="screen-actions">{actions}</div>}
      </header>
      <div className="screen-body">{children}</div>
    </section>
  );
}

export function EmptyState({ icon, title, text, action, testId }: { icon: ReactNode; title: string; text: string; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      <div className="empty-icon">{icon}</div>
      <h2 className="empty-title">{title}</h2>
      <p className="empty-text">{text}</p>
      {action}
    </div>
  );
}
