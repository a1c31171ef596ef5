import { render, TEMPLATES } from './templates';

const ORDER_STATUSES = ['submitted', 'accepted', 'declined', 'scheduled', 'delivered', 'evaluated', 'cancelled'];

describe('notification templates', () => {
  it('words every order status in Chinese, never the code', () => {
    const bodies = ORDER_STATUSES.map((status) => render('service_order_status', { title: '送书下乡', status, reason: '' }, 'zh-CN').body);
    expect(bodies).toEqual([
      '《送书下乡》的订单状态已变为「待受理」。',
      '《送书下乡》的订单状态已变为「已受理」。',
      '《送书下乡》的订单状态已变为「已拒绝」。',
      '《送书下乡》的订单状态已变为「已排期」。',
      '《送书下乡》的订单状态已变为「已配送」。',
      '《送书下乡》的订单状态已变为「已评价」。',
      '《送书下乡》的订单状态已变为「已取消」。',
    ]);
  });

  it('words them in English too, and leaves the free text of a reason as it was', () => {
    expect(render('service_order_status', { title: 'Books', status: 'evaluated', reason: 'accepted' }, 'en').body).toBe('The order for “Books” is now rated. Note: accepted');
    expect(render('registration_approved', { status: 'waitlisted' }, 'zh-CN').body).toBe('您的活动报名已通过审核（候补中）。');
    expect(render('registration_approved', { status: 'confirmed' }, 'en').body).toBe('Your registration was approved (confirmed).');
  });

  it('says a labelled note or reason only when there is one', () => {
    expect(render('service_order_confirmed', { title: '送书', note: '按时送达' }, 'zh-CN').body).toBe('《送书》已由社区确认送达。备注：按时送达');
    expect(render('service_order_confirmed', { title: '送书', note: '' }, 'zh-CN').body).toBe('《送书》已由社区确认送达。');
    expect(render('service_order_confirmed', { title: 'Books' }, 'en').body).toBe('The community confirmed “Books” was delivered.');
    expect(render('service_order_status', { title: '送书', status: 'declined', reason: '本月已排满' }, 'zh-CN').body).toBe('《送书》的订单状态已变为「已拒绝」。说明：本月已排满');
  });

  it('shows a value it has no word for as it is, rather than hiding it', () => {
    expect(render('service_order_status', { title: 'x', status: 'paused', reason: '' }, 'zh-CN').body).toContain('「paused」');
  });

  it('has a title and a body in both languages for every kind', () => {
    for (const [kind, t] of Object.entries(TEMPLATES)) {
      for (const locale of ['zh-CN', 'en'] as const) {
        expect([kind, locale, Boolean(t.title[locale]), Boolean(t.body[locale])]).toEqual([kind, locale, true, true]);
      }
    }
  });
});
