/** What still ties a resident to the platform; an account closes only when every count is zero. */
export interface OpenItems {
  openLoans: number;
  /** Fines owed, in yuan. */
  owed: number;
  activeHolds: number;
  bookings: number;
  registrations: number;
}

/** The open items as a sentence in each language, or null when nothing is open. */
export function describeOpenItems(open: OpenItems): { zh: string; en: string } | null {
  const zh: string[] = [];
  const en: string[] = [];
  if (open.openLoans > 0) {
    zh.push(`${open.openLoans} 册未归还的借阅`);
    en.push(`${open.openLoans} loan${open.openLoans === 1 ? '' : 's'} not returned`);
  }
  if (open.owed > 0) {
    zh.push(`未缴罚款 ${open.owed.toFixed(2)} 元`);
    en.push(`unpaid fines of ¥${open.owed.toFixed(2)}`);
  }
  if (open.activeHolds > 0) {
    zh.push(`${open.activeHolds} 个预约（可取消）`);
    en.push(`${open.activeHolds} hold${open.activeHolds === 1 ? '' : 's'} (cancel them)`);
  }
  if (open.bookings > 0) {
    zh.push(`${open.bookings} 个未结束的场馆预订`);
    en.push(`${open.bookings} venue booking${open.bookings === 1 ? '' : 's'} not yet over`);
  }
  if (open.registrations > 0) {
    zh.push(`${open.registrations} 个未结束的活动报名`);
    en.push(`${open.registrations} activity registration${open.registrations === 1 ? '' : 's'} not yet over`);
  }
  return zh.length ? { zh: zh.join('、'), en: en.join(', ') } : null;
}
