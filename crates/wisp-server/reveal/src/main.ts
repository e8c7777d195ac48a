// Owns start-up: takes the key out of the address bar first, then hands over to the app.

import "./styles.css";
import { App } from "./ui/app";

// The fragment holds the key. Read it once and remove it from the address bar and the
// session history at once, before anything else runs, so it cannot be bookmarked, synced,
// screenshotted in the URL bar or read back from history.
const fragment = location.hash;
if (fragment) history.replaceState(history.state, "", location.pathname + location.search);

function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

const app = new App({
  main: element("main"),
  live: element("live"),
  languageSelect: element<HTMLSelectElement>("lang"),
  fragment,
});
void app.start();
