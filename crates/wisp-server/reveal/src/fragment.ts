// Owns the key's first moments: reads the URL fragment and removes it from the address bar before any other module runs.
//
// Imported first by main.ts, so it is evaluated before the rest of the app. The fragment
// holds the key (or a part of it); once it is out of the address bar and the session
// history it cannot be bookmarked, synced, read back from history or caught in a
// screenshot of the URL bar. A reload therefore cannot reopen the secret: the page says
// to open the original link again.

export const fragment: string = location.hash;

if (fragment) history.replaceState(history.state, "", location.pathname + location.search);
