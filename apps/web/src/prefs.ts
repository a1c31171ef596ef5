import { useSyncExternalStore } from 'react';

// Large-text mode for elderly residents: one class on <html>; every size in the stylesheet is in rem.
const KEY = 'culture.largeText';
const listeners = new Set<() => void>();

function apply(on: boolean) {
  document.documentElement.classList.toggle('large-text', on);
}
apply(localStorage.getItem(KEY) === '1');

export function setLargeText(on: boolean): void {
  localStorage.setItem(KEY, on ? '1' : '0');
  apply(on);
  listeners.forEach((l) => l());
}

export function useLargeText(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => document.documentElement.classList.contains('large-text'),
  );
}
