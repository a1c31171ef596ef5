import { nextItemStatus, nextOrderStatus } from './workflow';
import { monthOf, satisfactionFigure } from './satisfaction';

describe('order workflow', () => {
  it('follows submitted → accepted → scheduled → delivered → evaluated', () => {
    expect(nextOrderStatus('submitted', 'accept')).toBe('accepted');
    expect(nextOrderStatus('accepted', 'schedule')).toBe('scheduled');
    expect(nextOrderStatus('scheduled', 'schedule')).toBe('scheduled');
    expect(nextOrderStatus('scheduled', 'deliver')).toBe('delivered');
    expect(nextOrderStatus('delivered', 'evaluate')).toBe('evaluated');
  });

  it('declines only a submitted order and cancels only before delivery', () => {
    expect(nextOrderStatus('submitted', 'decline')).toBe('declined');
    expect(nextOrderStatus('accepted', 'decline')).toBeNull();
    for (const s of ['submitted', 'accepted', 'scheduled'] as const) expect(nextOrderStatus(s, 'cancel')).toBe('cancelled');
    for (const s of ['delivered', 'evaluated', 'declined', 'cancelled'] as const) expect(nextOrderStatus(s, 'cancel')).toBeNull();
  });

  it('refuses skipping steps', () => {
    expect(nextOrderStatus('submitted', 'schedule')).toBeNull();
    expect(nextOrderStatus('accepted', 'deliver')).toBeNull();
    expect(nextOrderStatus('scheduled', 'evaluate')).toBeNull();
    expect(nextOrderStatus('evaluated', 'evaluate')).toBeNull();
  });
});

describe('menu item states', () => {
  it('publishes drafts and paused items, pauses published ones, retires any live item for good', () => {
    expect(nextItemStatus('draft', 'publish')).toBe('published');
    expect(nextItemStatus('paused', 'publish')).toBe('published');
    expect(nextItemStatus('published', 'pause')).toBe('paused');
    expect(nextItemStatus('draft', 'pause')).toBeUndefined();
    expect(nextItemStatus('paused', 'retire')).toBe('retired');
    expect(nextItemStatus('retired', 'publish')).toBeUndefined();
    expect(nextItemStatus('retired', 'edit')).toBeUndefined();
    expect(nextItemStatus('published', 'edit')).toBe('published');
  });
});

describe('satisfaction figure', () => {
  it('gives the mean, the count and the share of 4-5 ratings', () => {
    expect(satisfactionFigure(3, 5 + 4 + 2, 2)).toEqual({ ratings: 3, mean: 3.67, highShare: 0.6667 });
    expect(satisfactionFigure(0, 0, 0)).toEqual({ ratings: 0, mean: null, highShare: null });
  });

  it('takes the month of a date', () => {
    expect(monthOf('2026-12-31')).toBe('2026-12-01');
  });
});
