/**
 * @module web/lib/theme
 * Light/dark theme: follows prefers-color-scheme unless the user picked one (remembered in
 * localStorage; only the theme choice is stored there, never a credential).
 */
import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'dg-theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function resolvedTheme(choice: ThemeChoice): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Sets the root's theme from the stored choice; main.tsx calls it before the first render. */
export function applyStoredTheme(): void {
  document.documentElement.dataset.theme = resolvedTheme(stored());
}

/** Current choice, a setter, and the resolved theme (changes when the OS theme changes). */
export function useTheme(): {
  choice: ThemeChoice;
  theme: 'light' | 'dark';
  setChoice: (c: ThemeChoice) => void;
} {
  const [choice, setChoiceState] = useState<ThemeChoice>(stored);
  const [theme, setTheme] = useState(() => resolvedTheme(stored()));

  useEffect(() => {
    const apply = () => {
      const t = resolvedTheme(choice);
      setTheme(t);
      document.documentElement.dataset.theme = t;
    };
    apply();
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener('change', apply);
    return () => mq?.removeEventListener('change', apply);
  }, [choice]);

  const setChoice = (c: ThemeChoice) => {
    try {
      if (c === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, c);
    } catch {
      /* storage unavailable: keep the choice for this page only */
    }
    setChoiceState(c);
  };
  return { choice, theme, setChoice };
}

/** Reads a CSS custom property from the root element (chart colours follow the theme). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
