// Owns subscribing React components to Tauri events without leaks or stale handlers.

import type { UnlistenFn } from "@tauri-apps/api/event";
import { useEffect, useRef } from "react";

/** Stops a listener, ignoring a bridge that is already gone (window closing, tests). */
export function stopListening(stop: UnlistenFn | undefined): void {
  if (!stop) return;
  try {
    void Promise.resolve(stop() as unknown).catch(() => undefined);
  } catch {
    // Nothing to stop any more.
  }
}

/**
 * Listens while the component is mounted. `subscribe` must be stable (a module-level function
 * such as `onHistoryChanged`); `handler` may change on every render.
 */
export function useTauriEvent<T>(subscribe: (handler: (payload: T) => void) => Promise<UnlistenFn>, handler: (payload: T) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    let stop: UnlistenFn | undefined;
    let gone = false;
    try {
      subscribe((payload) => ref.current(payload))
        .then((unlisten) => {
          if (gone) stopListening(unlisten);
          else stop = unlisten;
        })
        .catch(() => undefined);
    } catch {
      // Outside Tauri (a plain browser): no events.
    }
    return () => {
      gone = true;
      stopListening(stop);
    };
  }, [subscribe]);
}
