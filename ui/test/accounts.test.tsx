import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { AccountInput } from "../src/bindings/AccountInput";
import type { ServerSecret } from "../src/bindings/ServerSecret";
import { account, HOUR, rejectWith, serverSecret } from "./fakeBackend";
import { goTo, renderApp } from "./helpers";

const OTS = account({ id: "acc-2", name: "Team", kind: "onetime_secret", url: "https://us.onetimesecret.com", is_default: false, has_token: false, server_reads_content: true });

describe("Accounts", () => {
  it("lists accounts with kind, address, default badge, token and who can read content", async () => {
    const { user } = await renderApp({ accounts: [account(), OTS] });
    await goTo(user, "accounts");
    const [work, team] = screen.getAllByTestId("account-row");
    expect(work).toHaveAttribute("data-default", "true");
    expect(within(work!).getByTestId("account-default-badge")).toHaveTextContent("Default");
    expect(within(work!).getByTestId("account-token-state")).toHaveTextContent("Token saved");
    expect(within(work!).queryByTestId("account-server-reads")).not.toBeInTheDocument();
    expect(within(team!).getByText("Onetime Secret")).toBeInTheDocument();
    expect(within(team!).getByText("https://us.onetimesecret.com")).toBeInTheDocument();
    expect(within(team!).getByTestId("account-token-state")).toHaveTextContent("No token");
    expect(within(team!).getByTestId("account-server-reads")).toHaveTextContent("Server can read content");
    expect(within(team!).queryByTestId("account-default-badge")).not.toBeInTheDocument();
  });

  it("adds an account with every server kind on offer and the token as typed", async () => {
    const { backend, user } = await renderApp({ accounts: [account()] });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-add"));
    const kinds = Array.from(screen.getByTestId<HTMLSelectElement>("account-kind").options).map((o) => o.textContent);
    expect(kinds).toEqual([
      "Wisp — end-to-end encrypted",
      "Onetime Secret — server can read content",
      "Burn the Secret — server can read content",
      "SecLink — end-to-end encrypted",
      "Seecret.it — server can read content",
    ]);
    expect(screen.queryByTestId("account-kind-warning")).not.toBeInTheDocument();

    await user.type(screen.getByTestId("account-name"), "Burner");
    await user.selectOptions(screen.getByTestId("account-kind"), "burn_the_secret");
    expect(screen.getByTestId("account-kind-warning")).toHaveTextContent("Server can read content.");
    expect(screen.getByText(/the server can read what you send/)).toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("account-kind"), "seclink");
    expect(screen.queryByTestId("account-kind-warning")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("account-kind"), "onetime_secret");
    expect(screen.getByText(/USERNAME:APITOKEN/)).toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("account-kind"), "burn_the_secret");
    await user.type(screen.getByTestId("account-url"), "https://burnthesecret.com");
    await user.type(screen.getByTestId("account-token"), "tok-123");
    await user.type(screen.getByTestId("account-ttl"), "2");
    await user.selectOptions(screen.getByTestId("account-ttl-unit"), "days");
    await user.type(screen.getByTestId("account-views"), "0");
    await user.click(screen.getByTestId("account-notifications"));
    await user.click(screen.getByTestId("account-save"));

    await waitFor(() => expect(screen.queryByTestId("account-dialog")).not.toBeInTheDocument());
    expect(backend.callsOf("add_account")).toEqual([
      {
        input: {
          name: "Burner",
          kind: "burn_the_secret",
          url: "https://burnthesecret.com",
          token: "tok-123",
          default_ttl_secs: 2 * 86400,
          default_max_views: 0,
          notifications: false,
        } satisfies AccountInput,
      },
    ]);
    expect(screen.getAllByTestId("account-row")).toHaveLength(2);
  });

  it("sends no token for an empty token field when adding, and checks name and address first", async () => {
    const { backend, user } = await renderApp({ accounts: [] });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-add"));
    await user.type(screen.getByTestId("account-url"), "wisp.example.com");
    await user.click(screen.getByTestId("account-save"));
    expect(await screen.findByText("Give the account a name.")).toBeInTheDocument();
    expect(screen.getByText("Enter the server’s address, starting with https:// or http://.")).toBeInTheDocument();
    expect(backend.callsOf("add_account")).toHaveLength(0);

    await user.type(screen.getByTestId("account-name"), "Mine");
    await user.clear(screen.getByTestId("account-url"));
    await user.type(screen.getByTestId("account-url"), "https://wisp.example.com");
    await user.click(screen.getByTestId("account-save"));
    await waitFor(() => expect(backend.callsOf("add_account")).toHaveLength(1));
    expect((backend.callsOf("add_account")[0]!.input as AccountInput).token).toBeNull();
  });

  it("on edit keeps the saved token when the field is left empty, replaces it when typed, removes it on request", async () => {
    const { backend, user } = await renderApp({ accounts: [account()] });
    await goTo(user, "accounts");
    const tokenOf = (i: number) => (backend.callsOf("update_account")[i]!.input as AccountInput).token;

    await user.click(screen.getByTestId("account-edit"));
    expect(screen.getByTestId("account-token")).toHaveAttribute("placeholder", "unchanged");
    expect(screen.getByTestId("account-name")).toHaveValue("Work");
    await user.clear(screen.getByTestId("account-name"));
    await user.type(screen.getByTestId("account-name"), "Office");
    await user.click(screen.getByTestId("account-save"));
    await waitFor(() => expect(backend.callsOf("update_account")).toHaveLength(1));
    expect(backend.callsOf("update_account")[0]!.id).toBe("acc-1");
    expect(tokenOf(0)).toBeNull();
    await waitFor(() => expect(screen.getByTestId("account-row")).toHaveTextContent("Office"));

    await user.click(screen.getByTestId("account-edit"));
    await user.type(screen.getByTestId("account-token"), "new-token");
    await user.click(screen.getByTestId("account-save"));
    await waitFor(() => expect(backend.callsOf("update_account")).toHaveLength(2));
    expect(tokenOf(1)).toBe("new-token");

    await user.click(screen.getByTestId("account-edit"));
    await user.click(screen.getByTestId("account-remove-token"));
    await user.click(screen.getByTestId("account-save"));
    await waitFor(() => expect(backend.callsOf("update_account")).toHaveLength(3));
    expect(tokenOf(2)).toBe("");
    await waitFor(() => expect(screen.getByTestId("account-token-state")).toHaveTextContent("No token"));
  });

  it("shows the backend's message when a kind is not supported yet, and keeps the dialog open", async () => {
    const { user } = await renderApp({
      handlers: { add_account: () => rejectWith("unsupported", "This version of Wisp cannot talk to SecLink servers yet.") },
    });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-add"));
    await user.type(screen.getByTestId("account-name"), "S");
    await user.selectOptions(screen.getByTestId("account-kind"), "seclink");
    await user.type(screen.getByTestId("account-url"), "https://seclink.example.com");
    await user.click(screen.getByTestId("account-save"));
    expect(await screen.findByTestId("account-error")).toHaveTextContent("This version of Wisp cannot talk to SecLink servers yet.");
    expect(screen.getByTestId("account-dialog")).toBeInTheDocument();
  });

  it("tests the connection with the account being edited and shows what came back", async () => {
    const { backend, user } = await renderApp({
      handlers: { test_connection: () => ({ reachable: true, authenticated: false, server_version: "0.3.1", message: "The server is there, but it does not accept this API token.", key: "connection.tokenRefused", vars: {} }) },
    });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-edit"));
    await user.click(screen.getByTestId("account-test"));
    const result = await screen.findByTestId("account-test-result");
    expect(result).toHaveTextContent("Server reachable");
    expect(result).toHaveTextContent("Version 0.3.1");
    expect(result).toHaveTextContent("Not signed in");
    expect(result).toHaveTextContent("The server is there, but it does not accept this API token.");
    // A refused token is not a green result.
    expect(result).toHaveClass("test-warn");
    const call = backend.callsOf("test_connection")[0]!;
    expect(call.id).toBe("acc-1");
    expect((call.input as AccountInput).token).toBeNull();
  });

  it("makes another account the default and removes one after confirmation", async () => {
    const { backend, user } = await renderApp({ accounts: [account(), OTS] });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-make-default"));
    await waitFor(() => expect(screen.getAllByTestId("account-row")[1]).toHaveAttribute("data-default", "true"));
    expect(backend.callsOf("set_default_account")).toEqual([{ id: "acc-2" }]);

    await user.click(screen.getAllByTestId("account-remove")[0]!);
    expect(screen.getByTestId("confirm-dialog")).toHaveTextContent("Remove Work?");
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getAllByTestId("account-row")).toHaveLength(1));
    expect(backend.callsOf("remove_account")).toEqual([{ id: "acc-1" }]);
  });
});

describe("Accounts: what the server lists", () => {
  const now = Date.now();
  const SECRETS = [
    serverSecret({ id: "p1", note: "DB password for Anna", state: "pending", views: 1, max_views: 3, in_history: true, expires_at: new Date(now + 22 * HOUR).toISOString() }),
    serverSecret({ id: "k7Qp2xY", state: "viewed", views: 2, max_views: null, created_at: null, expires_at: null }),
    serverSecret({ id: "b9", note: "Wi-Fi", state: "burned", views: 0, max_views: 1, created_at: new Date(now - 3 * 24 * HOUR).toISOString() }),
  ];

  it("offers the list only for kinds whose server can list, and asks with the account's id", async () => {
    const kinds = (["wisp", "onetime_secret", "burn_the_secret", "seclink", "seecretit"] as const).map((kind, i) =>
      account({ id: `acc-${kind}`, name: `A${i}`, kind, is_default: i === 0 }),
    );
    const { backend, user } = await renderApp({ accounts: kinds });
    await goTo(user, "accounts");
    const listing = screen.getAllByTestId("account-row").map((r) => [r.getAttribute("data-id"), within(r).queryByTestId("account-on-server") !== null]);
    expect(listing).toEqual([
      ["acc-wisp", true],
      ["acc-onetime_secret", true],
      ["acc-burn_the_secret", false],
      ["acc-seclink", false],
      ["acc-seecretit", true],
    ]);
    await user.click(within(screen.getAllByTestId("account-row")[4]!).getByTestId("account-on-server"));
    await screen.findAllByTestId("server-secret-row");
    expect(backend.callsOf("list_server_secrets")).toEqual([{ accountId: "acc-seecretit" }]);
  });

  it("lists each secret with its state, views, dates and whether this computer has it", async () => {
    // The server answers when the test says so: the dialog shows it is waiting until then.
    let answer: (list: ServerSecret[]) => void = () => undefined;
    const { user } = await renderApp({
      accounts: [account(), OTS],
      handlers: { list_server_secrets: () => new Promise<ServerSecret[]>((resolve) => (answer = resolve)) },
    });
    await goTo(user, "accounts");
    await user.click(within(screen.getAllByTestId("account-row")[0]!).getByTestId("account-on-server"));
    const dialog = screen.getByTestId("account-server-list");
    expect(dialog).toHaveAttribute("role", "dialog");
    expect(screen.getByRole("dialog", { name: "Secrets on the server — Work" })).toBe(dialog);
    expect(within(dialog).getByTestId("server-list-loading")).toHaveTextContent("Asking the server…");
    expect(within(dialog).getByTestId("server-list-refresh")).toHaveAttribute("aria-disabled", "true");
    act(() => answer(SECRETS));

    const rows = await within(dialog).findAllByTestId("server-secret-row");
    expect(within(dialog).queryByTestId("server-list-loading")).not.toBeInTheDocument();
    expect(rows.map((r) => r.getAttribute("data-state"))).toEqual(["pending", "viewed", "burned"]);
    const [pending, viewed, burned] = rows as [HTMLElement, HTMLElement, HTMLElement];

    // The note when there is one, else the server's id.
    expect(within(pending).getByTestId("server-secret-label")).toHaveTextContent("DB password for Anna");
    expect(within(viewed).getByTestId("server-secret-label")).toHaveTextContent("k7Qp2xY");
    // The same state pills as History.
    expect(within(pending).getByTestId("state-pill")).toHaveTextContent("Pending");
    expect(within(viewed).getByTestId("state-pill")).toHaveTextContent("Viewed");
    expect(within(burned).getByTestId("state-pill")).toHaveTextContent("Burned");
    // Views used / allowed, ∞ without a limit; the sentence for screen readers and on hover.
    expect(within(pending).getByTestId("server-secret-views")).toHaveTextContent("1 / 3");
    expect(within(pending).getByTestId("server-secret-views")).toHaveAttribute("title", "1 of 3 views");
    expect(within(viewed).getByTestId("server-secret-views")).toHaveTextContent("2 / ∞");
    expect(within(viewed).getByTestId("server-secret-views")).toHaveAttribute("title", "2 views, no limit");
    expect(within(burned).getByTestId("server-secret-views")).toHaveTextContent("0 / 1");
    // Dates in words, the full date on hover; a date the server does not give says so.
    expect(within(pending).getByTestId("server-secret-expires")).toHaveTextContent("in 22 hours");
    expect(within(burned).getByTestId("server-secret-created")).toHaveTextContent("3 days ago");
    expect(within(viewed).getByTestId("server-secret-created")).toHaveTextContent("Not given by the server");
    expect(within(viewed).getByTestId("server-secret-expires")).toHaveTextContent("Not given by the server");
    // Only what this computer's history also has is marked.
    expect(rows.map((r) => r.getAttribute("data-in-history"))).toEqual(["true", "false", "false"]);
    expect(within(pending).getByTestId("server-secret-in-history")).toHaveTextContent("On this computer");
    expect(within(viewed).queryByTestId("server-secret-in-history")).not.toBeInTheDocument();
  });

  it("says when the server holds nothing for the account", async () => {
    const { user } = await renderApp({ accounts: [account()], serverSecrets: { "acc-1": [] } });
    await goTo(user, "accounts");
    await user.click(screen.getByTestId("account-on-server"));
    expect(await screen.findByTestId("server-list-empty")).toHaveTextContent("Nothing on this server yet");
    expect(screen.queryByTestId("server-secret-row")).not.toBeInTheDocument();
  });

  it("shows a failed listing as the app's sentence for the error, and lists after a refresh", async () => {
    // As Rust sends it: the English message, and the key of the localised sentence.
    const { backend, user } = await renderApp({
      accounts: [account(), OTS],
      handlers: { list_server_secrets: () => rejectWith("unauthorized", "HTTP 401 from the server.", "error.unauthorized") },
    });
    await goTo(user, "accounts");
    await user.click(within(screen.getAllByTestId("account-row")[1]!).getByTestId("account-on-server"));
    const error = await screen.findByTestId("server-list-error");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("The server did not accept this account's API token. Check it in Accounts.");
    expect(backend.callsOf("list_server_secrets")).toEqual([{ accountId: "acc-2" }]);

    backend.on("list_server_secrets", () => [serverSecret({ id: "ots-1" })]);
    await user.click(screen.getByTestId("server-list-refresh"));
    expect(await screen.findAllByTestId("server-secret-row")).toHaveLength(1);
    expect(screen.queryByTestId("server-list-error")).not.toBeInTheDocument();
  });

  it("closes on Escape and gives the focus back to its button", async () => {
    const { user } = await renderApp({ accounts: [account()], serverSecrets: { "acc-1": SECRETS } });
    await goTo(user, "accounts");
    const button = screen.getByTestId("account-on-server");
    await user.click(button);
    await screen.findAllByTestId("server-secret-row");
    expect(screen.getByTestId("server-list-close")).toHaveFocus();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByTestId("account-server-list")).not.toBeInTheDocument());
    expect(button).toHaveFocus();
  });
});
