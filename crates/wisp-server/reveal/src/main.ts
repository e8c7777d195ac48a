// Owns start-up: takes the key out of the address bar first, then hands over to the app.

// Must stay the first import: it takes the key out of the address bar before anything else runs.
import { fragment } from "./fragment";
import "./styles.css";
import { App } from "./ui/app";

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
