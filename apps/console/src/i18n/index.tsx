import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type MessageKey, messages } from './messages.js';

export type { MessageKey } from './messages.js';
export type Language = 'en' | 'ja';
export const LANGUAGES: Language[] = ['en', 'ja'];
const STORAGE_KEY = 'wallet-sandbox:language';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const LanguageContext = createContext<LanguageState | null>(null);

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'ja') return saved;
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/** `{name}` in a message is replaced by values.name. */
export function translate(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return messages[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<LanguageState>(
    () => ({ language, setLanguage, t: (key, values) => translate(language, key, values) }),
    [language, setLanguage],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  const state = useContext(LanguageContext);
  if (!state) throw new Error('useLanguage outside LanguageProvider');
  return state;
}

/** Money is integer yen, written the same way in both languages: ¥1,234 (−¥500 when negative). */
export function formatYen(amount: number): string {
  const digits = new Intl.NumberFormat('en-US').format(Math.abs(amount));
  return `${amount < 0 ? '−' : ''}¥${digits}`;
}

/**
 * A sandbox replaying 7pay's story (2019, and its refunds into January 2020)
 * shows Japan's time, as 7pay's customers saw it; any other sandbox shows the
 * viewer's local time.
 */
export function sandboxTimeZone(sandboxNow: string | undefined): string | undefined {
  return sandboxNow && new Date(sandboxNow).getUTCFullYear() <= 2020 ? 'Asia/Tokyo' : undefined;
}

export function formatTime(iso: string, language: Language, timeZone?: string): string {
  const locale = language === 'ja' ? 'ja-JP' : 'en-GB';
  if (!timeZone) return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
  // Browsers refuse timeZoneName beside dateStyle: the same medium format, spelled out, with the zone named.
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: language === 'ja' ? '2-digit' : 'short',
    day: language === 'ja' ? '2-digit' : 'numeric',
    hour: language === 'ja' ? 'numeric' : '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}
