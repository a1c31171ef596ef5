import { describeOpenItems } from './open-items';

describe('describeOpenItems', () => {
  const none = { openLoans: 0, owed: 0, activeHolds: 0, bookings: 0, registrations: 0 };

  it('is null when nothing is open', () => {
    expect(describeOpenItems(none)).toBeNull();
  });

  it('lists every open kind in both languages', () => {
    const text = describeOpenItems({ openLoans: 2, owed: 1.5, activeHolds: 1, bookings: 1, registrations: 3 })!;
    expect(text.zh).toBe('2 册未归还的借阅、未缴罚款 1.50 元、1 个预约（可取消）、1 个未结束的场馆预订、3 个未结束的活动报名');
    expect(text.en).toBe('2 loans not returned, unpaid fines of ¥1.50, 1 hold (cancel them), 1 venue booking not yet over, 3 activity registrations not yet over');
  });

  it('names only what is open', () => {
    expect(describeOpenItems({ ...none, owed: 0.5 })).toEqual({ zh: '未缴罚款 0.50 元', en: 'unpaid fines of ¥0.50' });
  });
});
