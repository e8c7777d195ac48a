import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { SendRequest } from "../src/bindings/SendRequest";
import { account, commandError, rejectWith, sentSecret, type Args } from "./fakeBackend";
import { goTo, renderApp } from "./helpers";

const tooLarge = { token: "big", name: "disk.iso", size: 5_000_000_000, is_dir: false, file_count: 1, too_large: true };
const report = { token: "f1", name: "report.pdf", size: 2_000_000, is_dir: false, file_count: 1, too_large: false };

describe("Send", () => {
  it("sends text with the chosen options and shows each link once, with the warning, QR and copy", async () => {
    const { backend, user } = await renderApp();
    await user.type(screen.getByTestId("send-text"), "hunter2");
    await user.click(screen.getByTestId("send-ttl-1h"));
    await user.clear(screen.getByTestId("send-views"));
    await user.type(screen.getByTestId("send-views"), "3");
    await user.type(screen.getByTestId("send-passphrase"), "open sesame");
    await user.type(screen.getByTestId("send-note"), "for Anna");
    await user.click(screen.getByTestId("send-submit"));

    await screen.findByTestId("send-result");
    const [call] = backend.callsOf("send_text");
    expect(call?.text).toBe("hunter2");
    expect(call?.request).toEqual<SendRequest>({
      account_id: "acc-1",
      ttl_secs: 3600,
      max_views: 3,
      passphrase: "open sesame",
      split: null,
      note: "for Anna",
      recipient_email: null,
      keep_link: false,
    });

    expect(screen.getByTestId("result-warning")).toHaveTextContent("This link is shown once. Wisp does not keep it unless you chose to.");
    const urls = screen.getAllByTestId("result-link-url");
    expect(urls).toHaveLength(1);
    expect(urls[0]).toHaveValue("https://wisp.example.com/s/text-1#k.Zm9vYmFyYmF6cXV4");
    expect(screen.getByTestId("result-link-qr").getAttribute("src")).toMatch(/^data:image\/svg\+xml;utf8,%3Csvg/);
    expect(screen.getByTestId("result-meta")).toHaveTextContent(/Expires in 24 hours .* · 1 view/);

    await user.click(screen.getByTestId("result-link-copy"));
    expect(backend.callsOf("copy_text")).toEqual([{ text: "https://wisp.example.com/s/text-1#k.Zm9vYmFyYmF6cXV4", sensitive: true }]);
    expect(await screen.findByText("Link copied. The clipboard is cleared in 30 seconds.")).toBeInTheDocument();

    await user.click(screen.getByTestId("send-another"));
    expect(screen.getByTestId("send-text")).toHaveValue("");
    expect(screen.queryByTestId("send-result")).not.toBeInTheDocument();
  });

  it("rejects an empty secret without calling the backend", async () => {
    const { backend, user } = await renderApp();
    await user.click(screen.getByTestId("send-submit"));
    expect(await screen.findByText("Write a secret or add a file first.")).toBeInTheDocument();
    expect(backend.callsOf("send_text")).toHaveLength(0);
  });

  it("rejects a split with more parts needed than parts, then sends a valid one as labelled parts", async () => {
    const { backend, user } = await renderApp();
    await user.type(screen.getByTestId("send-text"), "s3cret");
    await user.click(screen.getByTestId("send-split"));
    await user.clear(screen.getByTestId("send-split-needed"));
    await user.type(screen.getByTestId("send-split-needed"), "4");
    await user.clear(screen.getByTestId("send-split-total"));
    await user.type(screen.getByTestId("send-split-total"), "3");
    await user.click(screen.getByTestId("send-submit"));
    expect(await screen.findByTestId("send-split-error")).toHaveTextContent("Parts needed must be at least 2");
    expect(backend.callsOf("send_text")).toHaveLength(0);

    await user.clear(screen.getByTestId("send-split-total"));
    await user.type(screen.getByTestId("send-split-total"), "11");
    await user.click(screen.getByTestId("send-submit"));
    expect(backend.callsOf("send_text")).toHaveLength(0);

    await user.clear(screen.getByTestId("send-split-needed"));
    await user.type(screen.getByTestId("send-split-needed"), "2");
    await user.clear(screen.getByTestId("send-split-total"));
    await user.type(screen.getByTestId("send-split-total"), "3");
    await user.click(screen.getByTestId("send-submit"));
    await screen.findByTestId("send-result");
    expect((backend.callsOf("send_text")[0]?.request as SendRequest).split).toEqual({ needed: 2, total: 3 });
    expect(screen.getAllByTestId("result-link-label").map((l) => l.textContent)).toEqual(["Part 1 of 3", "Part 2 of 3", "Part 3 of 3"]);
    expect(screen.getByText("Send the parts through different channels: any 2 of them open the secret.")).toBeInTheDocument();
  });

  it("shows the message of a failed command, keeps the text, and shows no link", async () => {
    const { user } = await renderApp({
      handlers: {
        send_text: () => rejectWith("network", "The server could not be reached. Check your connection."),
      },
    });
    await user.type(screen.getByTestId("send-text"), "hunter2");
    await user.click(screen.getByTestId("send-submit"));
    const toast = await screen.findByTestId("toast");
    expect(toast).toHaveAttribute("data-kind", "error");
    expect(toast).toHaveTextContent("The server could not be reached. Check your connection.");
    expect(screen.queryByTestId("send-result")).not.toBeInTheDocument();
    expect(screen.getByTestId("send-text")).toHaveValue("hunter2");
  });

  it("uses the account's defaults and labels accounts whose server reads content", async () => {
    const { backend, user } = await renderApp({
      accounts: [
        account(),
        account({ id: "ots", name: "BTS", kind: "burn_the_secret", is_default: false, server_reads_content: true, default_ttl_secs: 300, default_max_views: 0 }),
      ],
    });
    expect(screen.queryByTestId("send-server-reads")).not.toBeInTheDocument();
    await user.selectOptions(screen.getByTestId("send-account"), "ots");
    expect(screen.getByTestId("send-server-reads")).toHaveTextContent("server can read content");
    expect(screen.getByRole("option", { name: "BTS — server can read content" })).toBeInTheDocument();
    expect(screen.getByTestId("send-ttl-5m")).toHaveAttribute("data-selected", "true");
    expect(screen.getByRole("radio", { name: "5 min" })).toBeChecked();
    expect(screen.getByTestId("send-views-unlimited")).toBeChecked();
    await user.type(screen.getByTestId("send-text"), "x");
    await user.click(screen.getByTestId("send-submit"));
    await screen.findByTestId("send-result");
    const request = backend.callsOf("send_text")[0]?.request as SendRequest;
    expect(request).toMatchObject({ account_id: "ots", ttl_secs: 300, max_views: 0 });
  });

  it("offers only what the account's kind supports", async () => {
    const { backend, user } = await renderApp({
      accounts: [account(), account({ id: "ots", name: "OTS", kind: "onetime_secret", is_default: false, server_reads_content: true })],
    });
    for (const id of ["send-views", "send-views-unlimited", "send-passphrase", "send-split", "send-note", "send-email", "send-dropzone"]) {
      expect(screen.getByTestId(id)).toBeInTheDocument();
    }
    expect(screen.queryByTestId("send-kind-limited")).not.toBeInTheDocument();
    await user.type(screen.getByTestId("send-note"), "for bob");
    await user.selectOptions(screen.getByTestId("send-account"), "ots");
    for (const id of ["send-views", "send-views-unlimited", "send-split", "send-note", "send-dropzone"]) {
      expect(screen.queryByTestId(id)).not.toBeInTheDocument();
    }
    expect(screen.getByTestId("send-passphrase")).toBeInTheDocument();
    expect(screen.getByTestId("send-email")).toBeInTheDocument();
    expect(screen.getByTestId("send-kind-limited")).toHaveTextContent("Options that Onetime Secret does not support are hidden.");
    expect(screen.getByTestId("send-no-files")).toHaveTextContent("Onetime Secret accounts send text only.");
    await user.type(screen.getByTestId("send-text"), "x");
    await user.click(screen.getByTestId("send-submit"));
    await screen.findByTestId("send-result");
    const request = backend.callsOf("send_text")[0]?.request as SendRequest;
    expect(request).toMatchObject({ account_id: "ots", max_views: 1, note: null, split: null });
  });

  it("fills the secret with a generated password of the chosen length", async () => {
    const { backend, user } = await renderApp();
    await user.clear(screen.getByTestId("send-generate-length"));
    await user.type(screen.getByTestId("send-generate-length"), "12");
    await user.click(screen.getByTestId("send-generate-symbols"));
    await user.click(screen.getByTestId("send-generate"));
    await waitFor(() => expect(screen.getByTestId("send-text")).toHaveValue("x".repeat(12)));
    expect(backend.callsOf("generate_password")).toEqual([{ length: 12, symbols: false }]);
  });

  it("lists dropped files, flags one too large with the limit, and refuses to send it", async () => {
    const { backend, user } = await renderApp();
    await act(() => backend.emitEvent("files-dropped", [tooLarge, { ...report, token: "dir", name: "photos", is_dir: true, file_count: 12 }]));
    const rows = await screen.findAllByTestId("send-file");
    expect(rows.map((r) => r.getAttribute("data-name"))).toEqual(["disk.iso", "photos"]);
    expect(within(rows[0]!).getByTestId("send-file-too-large")).toHaveTextContent("Too large: the limit is 100 MB.");
    expect(within(rows[1]!).getByText("Folder · 12 files")).toBeInTheDocument();
    await user.click(screen.getByTestId("send-submit"));
    expect(await screen.findByText("Remove the files that are too large first.")).toBeInTheDocument();
    expect(backend.callsOf("send_file")).toHaveLength(0);

    await user.click(within(rows[0]!).getByTestId("send-file-remove"));
    expect(screen.getAllByTestId("send-file")).toHaveLength(1);
  });

  it("uploads a file with live progress, then shows its link", async () => {
    const { backend, user } = await renderApp();
    let finish: (value: unknown) => void = () => undefined;
    backend.on("send_file", () => new Promise((resolve) => (finish = resolve)));
    backend.on("pick_files", () => [report]);
    await user.click(screen.getByTestId("send-choose-files"));
    await screen.findByTestId("send-file");
    await user.click(screen.getByTestId("send-submit"));

    await waitFor(() => expect(backend.callsOf("send_file")).toHaveLength(1));
    const args: Args = backend.callsOf("send_file")[0]!;
    expect(args.token).toBe("f1");
    expect(args.transferId).toMatch(/^[0-9a-f-]{36}$/);
    await act(() => backend.emitEvent("transfer-progress", { transfer_id: args.transferId, done: 500_000, total: 2_000_000 }));
    expect(await screen.findByTestId("send-file-progress")).toHaveAttribute("aria-valuenow", "25");
    expect(screen.getByText("500 kB of 2 MB")).toBeInTheDocument();

    act(() => finish(sentSecret(1, "file-x")));
    await screen.findByTestId("send-result");
    expect(screen.getByTestId("result-item")).toHaveAttribute("data-kind", "file");
    expect(screen.getByText("report.pdf")).toBeInTheDocument();
    expect(screen.getByTestId("result-link-url")).toHaveValue("https://wisp.example.com/s/file-x#k.Zm9vYmFyYmF6cXV4");
  });

  it("cancels an upload through its transfer id and shows it as cancelled, not as an error", async () => {
    const { backend, user } = await renderApp();
    let fail: (reason: unknown) => void = () => undefined;
    backend.on("send_file", () => new Promise((_, reject) => (fail = reject)));
    backend.on("pick_files", () => [report]);
    await user.click(screen.getByTestId("send-choose-files"));
    await screen.findByTestId("send-file");
    await user.click(screen.getByTestId("send-submit"));
    await user.click(await screen.findByTestId("send-file-cancel"));
    const transferId = backend.callsOf("send_file")[0]!.transferId;
    expect(backend.callsOf("cancel_transfer")).toEqual([{ transferId }]);

    act(() => fail(commandError("cancelled", "The transfer was cancelled.")));
    await waitFor(() => expect(screen.getByTestId("send-file")).toHaveAttribute("data-status", "cancelled"));
    expect(screen.getByText("Cancelled")).toBeInTheDocument();
    expect(screen.queryByTestId("send-result")).not.toBeInTheDocument();
    expect(screen.queryByTestId("toast")).not.toBeInTheDocument();
  });

  it("shows the drop overlay only while files are dragged over the window", async () => {
    const { backend } = await renderApp();
    expect(screen.queryByTestId("drop-overlay")).not.toBeInTheDocument();
    await act(() => backend.emitEvent("tauri://drag-enter", { paths: ["/tmp/a"], position: { x: 1, y: 1 } }));
    expect(screen.getByTestId("drop-overlay")).toHaveTextContent("Drop files to encrypt and share");
    await act(() => backend.emitEvent("tauri://drag-leave", null));
    expect(screen.queryByTestId("drop-overlay")).not.toBeInTheDocument();
  });

  it("moves to Send when files are dropped while another screen is shown", async () => {
    const { backend, user } = await renderApp();
    await goTo(user, "settings");
    await act(() => backend.emitEvent("files-dropped", [report]));
    expect(await screen.findByTestId("send-file")).toBeVisible();
    expect(screen.getByTestId("nav-send")).toHaveAttribute("aria-current", "page");
  });

  it("welcomes a first run without accounts and leads to the add-account dialog", async () => {
    const { user } = await renderApp({ accounts: [] });
    expect(await screen.findByTestId("welcome-card")).toBeInTheDocument();
    expect(screen.queryByTestId("send-text")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("welcome-add-account"));
    expect(await screen.findByTestId("account-dialog")).toBeInTheDocument();
    expect(screen.getByTestId("nav-accounts")).toHaveAttribute("aria-current", "page");
  });
});
