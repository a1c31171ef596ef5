import { defineErrors } from './domain-error';

describe('DomainError messages', () => {
  const Errors = defineErrors({
    STATE: {
      kind: 'conflict',
      zh: '订单当前为「{status}」，不能{action}',
      en: 'The order is {status}; cannot {action}',
      labels: { status: { delivered: { zh: '已配送', en: 'delivered' } }, action: { accept: { zh: '受理', en: 'accept it' } } },
    },
    PLAIN: { kind: 'not_found', zh: '不存在：{id}', en: '{id} not found' },
  });

  it('words a code in each language and keeps the code itself in the details', () => {
    const e = Errors.STATE({ status: 'delivered', action: 'accept' });
    expect(e.messageIn('zh-CN')).toBe('订单当前为「已配送」，不能受理');
    expect(e.messageIn('en')).toBe('The order is delivered; cannot accept it');
    expect(e.message).toBe('The order is delivered; cannot accept it');
    expect(e.details).toEqual({ status: 'delivered', action: 'accept' });
  });

  it('shows a value without a label as it is, and leaves a missing placeholder visible', () => {
    expect(Errors.STATE({ status: 'lost', action: 'accept' }).messageIn('zh-CN')).toBe('订单当前为「lost」，不能受理');
    expect(Errors.PLAIN({ id: 'x1' }).messageIn('zh-CN')).toBe('不存在：x1');
    expect(Errors.PLAIN().messageIn('en')).toBe('{id} not found');
  });
});
