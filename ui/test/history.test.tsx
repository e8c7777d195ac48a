import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { account, historyItem, HOUR, rejectWith } from "./fakeBackend";
import { goTo, renderApp } from "./helpers";

const ITEMS = [
  historyItem({ id: "p", label: "DB password", note: "for Anna", state: "pending", max_views: 3, views: 1, links: ["https://w.example/s/p#k"] }),
  historyItem({ id: "v", kind: "file", label: "report.pdf", state: "viewed", views: 1 }),
  historyItem({ id: "b", label: "Burned one", state: "burned", account_id: "acc-2", account_name: "Home" }),
  historyItem({ id: "e", label: "Old one", state: "expired", max_views: null, views: 4, expires_at: new Date(Date.now() - 3 * 24 * HOUR).toISOString() }),
];
const ACCOUNTS = [account(), account({ id: "acc-2", name: "Home", is_default: false })];

const rowStates = () => screen.getAllByTestId("history-row").map((r) => r.getAttribute("data-state"));

describe("History", () => {
  it("shows every secret with its state pill, views, expiry and note", async () => {
    const { user } = await renderApp({ history: ITEMS, accounts: ACCOUNTS });
    await goTo(user, "history");
    await screen.findAllByTestId("history-row");
    expect(rowStates()).toEqual(["pending", "viewed", "burned", "expired"]);
    const [pending, viewed, , expired] = screen.getAllByTestId("history-row");
    expect(within(pending!).getByTestId("state-pill")).toHaveTextContent("Pending");
    expect(within(pending!).getByTestId("history-views")).toHaveTextContent("1 of 3 views");
    expect(within(pending!).getByText(/for Anna/)).toBeInTheDocument();
    expect(within(pending!).getByText("in 22 hours")).toBeInTheDocument();
    expect(within(viewed!).getByTestId("state-pill")).toHaveTextContent("Viewed");
    expect(within(viewed!).getByTestId("history-views")).toHaveTextContent("1 of 1 view");
    expect(within(expired!).getByTestId("history-views")).toHaveTextContent("4 views, no limit");
    expect(within(expired!).getByText("3 days ago")).toBeInTheDocument();
    // Only pending secrets can be burned; only kept links can be copied.
    expect(within(pending!).getByTestId("history-burn")).toBeInTheDocument();
    expect(within(viewed!).queryByTestId("history-burn")).not.toBeInTheDocument();
    expect(within(pending!).getByTestId("history-copy")).toBeInTheDocument();
    expect(within(viewed!).queryByTestId("history-copy")).not.toBeInTheDocument();
  });

  it("says why a secret burned after wrong passphrases, and only then", async () => {
    const { user } = await renderApp({
      history: [
        historyItem({ id: "w", label: "Vault key", state: "burned", burn_reason: "wrong_passphrase", wrong_attempts: 10 }),
        historyItem({ id: "s", label: "Mine", state: "burned", burn_reason: "sender" }),
        historyItem({ id: "p", label: "Guessed at", state: "pending", wrong_attempts: 3 }),
      ],
      accounts: ACCOUNTS,
    });
    await goTo(user, "history");
    const [wrong, sender, pending] = await screen.findAllByTestId("history-row");
    expect(within(wrong!).getByTestId("state-pill")).toHaveTextContent("Burned");
    expect(within(wrong!).getByTestId("history-state-detail")).toHaveTextContent("after 10 wrong passphrases");
    expect(within(sender!).queryByTestId("history-state-detail")).not.toBeInTheDocument();
    expect(within(pending!).queryByTestId("history-state-detail")).not.toBeInTheDocument();
  });

  it("filters by state and by account through the backend", async () => {
    const { backend, user } = await renderApp({ history: ITEMS, accounts: ACCOUNTS });
    await goTo(user, "history");
    await screen.findAllByTestId("history-row");
    await user.selectOptions(screen.getByTestId("history-filter-state"), "burned");
    await waitFor(() => expect(rowStates()).toEqual(["burned"]));
    expect(backend.callsOf("list_history").at(-1)).toEqual({ filter: { account_id: null, state: "burned" } });

    await user.selectOptions(screen.getByTestId("history-filter-state"), "");
    await user.selectOptions(screen.getByTestId("history-filter-account"), "acc-1");
    await waitFor(() => expect(rowStates()).toEqual(["pending", "viewed", "expired"]));
    expect(backend.callsOf("list_history").at(-1)).toEqual({ filter: { account_id: "acc-1", state: null } });

    await user.selectOptions(screen.getByTestId("history-filter-state"), "viewed");
    await user.selectOptions(screen.getByTestId("history-filter-account"), "acc-2");
    expect(await screen.findByTestId("history-no-match")).toHaveTextContent("No secrets match these filters.");
  });

  it("burns a pending secret only after confirmation", async () => {
    const { backend, user } = await renderApp({ history: ITEMS, accounts: ACCOUNTS });
    await goTo(user, "history");
    const pending = (await screen.findAllByTestId("history-row"))[0]!;

    await user.click(within(pending).getByTestId("history-burn"));
    expect(screen.getByTestId("confirm-dialog")).toHaveTextContent("Burn this secret?");
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(backend.callsOf("burn_secret")).toHaveLength(0);

    await user.click(within(pending).getByTestId("history-burn"));
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(backend.callsOf("burn_secret")).toEqual([{ id: "p" }]));
    await waitFor(() => expect(rowStates()[0]).toBe("burned"));
    expect(screen.queryByTestId("confirm-dialog")).not.toBeInTheDocument();
    expect(await screen.findByText("Burned: no one can open it any more.")).toBeInTheDocument();
  });

  it("offers no burn for secrets of an account whose kind cannot burn", async () => {
    const seclink = account({ id: "acc-sl", name: "SecLink", kind: "seclink", is_default: false });
    const { user } = await renderApp({
      history: [historyItem({ id: "s", state: "pending", account_id: "acc-sl", account_name: "SecLink" }), historyItem({ id: "w", state: "pending" })],
      accounts: [...ACCOUNTS, seclink],
    });
    await goTo(user, "history");
    const rows = await screen.findAllByTestId("history-row");
    const byId = (id: string) => rows.find((r) => r.getAttribute("data-id") === id)!;
    expect(within(byId("s")).queryByTestId("history-burn")).not.toBeInTheDocument();
    expect(within(byId("w")).getByTestId("history-burn")).toBeInTheDocument();
  });

  it("shows the message when a burn fails and keeps the row pending", async () => {
    const { user } = await renderApp({ history: ITEMS, handlers: { burn_secret: () => rejectWith("network", "The server could not be reached.") } });
    await goTo(user, "history");
    const pending = (await screen.findAllByTestId("history-row"))[0]!;
    await user.click(within(pending).getByTestId("history-burn"));
    await user.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByRole("alert")).toHaveTextContent("The server could not be reached.");
    expect(rowStates()[0]).toBe("pending");
  });

  it("forgets a secret from local history", async () => {
    const { backend, user } = await renderApp({ history: ITEMS });
    await goTo(user, "history");
    const viewed = (await screen.findAllByTestId("history-row"))[1]!;
    await user.click(within(viewed).getByTestId("history-forget"));
    expect(screen.getByTestId("confirm-dialog")).toHaveTextContent("It is removed from this computer’s history.");
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(3));
    expect(backend.callsOf("forget_secret")).toEqual([{ id: "v" }]);
  });

  it("copies a kept link as a sensitive text", async () => {
    const { backend, user } = await renderApp({ history: ITEMS });
    await goTo(user, "history");
    await user.click((await screen.findAllByTestId("history-copy"))[0]!);
    expect(backend.callsOf("copy_text")).toEqual([{ text: "https://w.example/s/p#k", sensitive: true }]);
  });

  it("refreshes on demand and reloads by itself when the history changes", async () => {
    const { backend, user } = await renderApp({ history: [ITEMS[0]!] });
    await goTo(user, "history");
    await screen.findAllByTestId("history-row");

    backend.state.history = [{ ...ITEMS[0]!, state: "viewed", views: 3 }];
    await user.click(screen.getByTestId("history-refresh"));
    await waitFor(() => expect(rowStates()).toEqual(["viewed"]));
    expect(backend.callsOf("refresh_history")).toHaveLength(1);

    backend.state.history = [...backend.state.history, ITEMS[1]!];
    await act(() => backend.emitEvent("history-changed", null));
    await waitFor(() => expect(rowStates()).toEqual(["viewed", "viewed"]));
  });

  it("keeps the rows that did not change when a refresh reports only the changed ones", async () => {
    const { backend, user } = await renderApp({ history: [ITEMS[0]!, ITEMS[1]!] });
    await goTo(user, "history");
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(2));

    backend.state.history = [{ ...ITEMS[0]!, state: "viewed", views: 3 }, ITEMS[1]!];
    await user.click(screen.getByTestId("history-refresh"));
    await waitFor(() => expect(rowStates()).toContain("viewed"));
    expect(screen.getAllByTestId("history-row")).toHaveLength(2);
  });

  it("invites to send a first secret when the history is empty", async () => {
    const { user } = await renderApp({ history: [] });
    await goTo(user, "history");
    expect(await screen.findByTestId("history-empty")).toHaveTextContent("Nothing sent yet");
    await user.click(screen.getByTestId("history-send-first"));
    expect(screen.getByTestId("nav-send")).toHaveAttribute("aria-current", "page");
  });
});
