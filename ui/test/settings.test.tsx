import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Settings } from "../src/bindings/Settings";
import { rejectWith, SETTINGS } from "./fakeBackend";
import { goTo, renderApp } from "./helpers";

const saved = (calls: Array<Record<string, unknown>>) => calls.map((c) => c.settings as Settings);

describe("Settings", () => {
  it("applies the saved theme at start and a new one at once, as data-theme on <html>", async () => {
    const { backend, user } = await renderApp({ settings: { theme: "dark" } });
    expect(document.documentElement.dataset.theme).toBe("dark");
    await goTo(user, "settings");
    await user.click(screen.getByTestId("settings-theme-light"));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("light"));
    expect(saved(backend.callsOf("save_settings")).map((s) => s.theme)).toEqual(["light"]);
    await user.click(screen.getByTestId("settings-theme-system"));
    // jsdom has no prefers-color-scheme: "system" resolves to light, and the setting is kept.
    await waitFor(() => expect(document.documentElement.dataset.themeSetting).toBe("system"));
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("switches the whole UI to another language", async () => {
    const { backend, user } = await renderApp();
    await goTo(user, "settings");
    await user.selectOptions(screen.getByTestId("settings-language"), "fr");
    await waitFor(() => expect(screen.getByTestId("nav-send")).toHaveTextContent("Envoyer"));
    expect(document.documentElement.lang).toBe("fr");
    expect(saved(backend.callsOf("save_settings"))[0]?.language).toBe("fr");
    await user.selectOptions(screen.getByTestId("settings-language"), "ru");
    await waitFor(() => expect(screen.getByTestId("nav-settings")).toHaveTextContent("Настройки"));
  });

  it("saves numbers when complete and refuses ones out of range", async () => {
    const { backend, user } = await renderApp();
    await goTo(user, "settings");
    await user.clear(screen.getByTestId("settings-clipboard"));
    await user.type(screen.getByTestId("settings-clipboard"), "0{Enter}");
    await waitFor(() => expect(saved(backend.callsOf("save_settings")).map((s) => s.clipboard_clear_secs)).toEqual([0]));

    await user.clear(screen.getByTestId("settings-views"));
    await user.type(screen.getByTestId("settings-views"), "101");
    await user.tab();
    expect(await screen.findByText("Enter a whole number from 0 to 100.")).toBeInTheDocument();
    expect(backend.callsOf("save_settings")).toHaveLength(1);

    await user.clear(screen.getByTestId("settings-ttl"));
    await user.type(screen.getByTestId("settings-ttl"), "2");
    await user.selectOptions(screen.getByTestId("settings-ttl-unit"), "hours");
    await waitFor(() => expect(saved(backend.callsOf("save_settings")).at(-1)?.default_ttl_secs).toBe(7200));
  });

  it("shows the largest upload read-only and keeps links by default when asked", async () => {
    const { backend, user } = await renderApp({ settings: { max_upload_bytes: 2_000_000_000 } });
    await goTo(user, "settings");
    expect(screen.getByTestId("settings-max-upload")).toHaveTextContent("2 GB");
    await user.click(screen.getByTestId("settings-keep-links"));
    await waitFor(() => expect(saved(backend.callsOf("save_settings"))[0]?.keep_links).toBe(true));
    await goTo(user, "send");
    expect(screen.getByTestId("send-keep-link")).toBeChecked();
  });

  it("pauses desktop notifications from every account, and resumes them", async () => {
    const { backend, user } = await renderApp();
    await goTo(user, "settings");
    const pause = screen.getByTestId("settings-pause-notifications");
    expect(pause).not.toBeChecked();
    expect(pause).toHaveAccessibleName("Pause notifications");
    expect(pause).toHaveAccessibleDescription("No desktop notifications from any account until you turn this off; history still updates.");
    await user.click(pause);
    await waitFor(() => expect(saved(backend.callsOf("save_settings")).map((s) => s.pause_notifications)).toEqual([true]));
    // Nothing else changes with it.
    expect({ ...saved(backend.callsOf("save_settings"))[0], pause_notifications: false }).toEqual(SETTINGS);
    await waitFor(() => expect(pause).toBeChecked());
    await user.click(pause);
    await waitFor(() => expect(saved(backend.callsOf("save_settings")).map((s) => s.pause_notifications)).toEqual([true, false]));
  });

  it("shows the message of a failed save and leaves the theme as it was", async () => {
    const { user } = await renderApp({ handlers: { save_settings: () => rejectWith("storage", "The settings could not be written to disk.") } });
    await goTo(user, "settings");
    await user.click(screen.getByTestId("settings-theme-dark"));
    expect(await screen.findByRole("alert")).toHaveTextContent("The settings could not be written to disk.");
    expect(document.documentElement.dataset.theme).toBe("light");
  });
});
