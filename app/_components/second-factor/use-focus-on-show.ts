// When a step's answer replaces its form (the recovery codes, or "start again"), focus would be
// left on nothing: it moves to the answer's first line instead, so keyboard and screen-reader
// users continue from there.
import { useEffect, useRef } from "react";

export function useFocusOnShow<T extends HTMLElement>(shown: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown]);
  return ref;
}
