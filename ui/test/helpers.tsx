// Renders the whole app against the fake backend and offers the few steps every test repeats.

import { render, screen, waitFor } from "@testing-library/react";
import { expect } from "vitest";
import userEvent from "@testing-library/user-event";
import { App } from "../src/App";
import { installBackend, type Backend, type BackendOptions } from "./fakeBackend";

export async function renderApp(options: BackendOptions = {}) {
  const backend: Backend = installBackend(options);
  const user = userEvent.setup();
  const utils = render(<App />);
  await screen.findByTestId("nav-send");
  // Accounts are loaded once the first-run decision can be made.
  await waitFor(() => expect(backend.callsOf("list_accounts").length).toBeGreaterThan(0));
  return { backend, user, ...utils };
}

export async function goTo(user: ReturnType<typeof userEvent.setup>, screenName: "send" | "history" | "open" | "accounts" | "settings") {
  await user.click(screen.getByTestId(`nav-${screenName}`));
  return screen.findByTestId(`screen-${screenName}`);
}
