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

// The branch a resident calls theirs on the landing page (no account needed): kept in this browser only.
const BRANCH_KEY = 'culture.myBranch';
const branchListeners = new Set<() => void>();

export function setMyBranch(id: string | null): void {
  if (id) localStorage.setItem(BRANCH_KEY, id);
  else localStorage.removeItem(BRANCH_KEY);
  branchListeners.forEach((l) => l());
}

export function useMyBranch(): string | null {
  return useSyncExternalStore(
    (l) => {
      branchListeners.add(l);
      return () => branchListeners.delete(l);
    },
    () => localStorage.getItem(BRANCH_KEY),
  );
}
