/** Mainland China mobile numbers: 11 digits starting 13-19; "+86" or "86" and separators are accepted and dropped. */
export function normalizePhone(value: string): string {
  const digits = value.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return digits;
}

export function isValidPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(normalizePhone(value));
}
