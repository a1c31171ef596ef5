import { Injectable, Logger } from '@nestjs/common';

/** The Nest token of the online payment provider (see PaymentProvider). */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export interface PaymentCharge {
  patronId: string;
  /** In fen (1/100 yuan), so no amount is ever a float. */
  amountFen: number;
  /** What the resident sees on their statement. */
  description: string;
}

export interface PaymentOutcome {
  accepted: boolean;
  /** The provider's reference for the charge, kept on the payment. */
  reference: string;
}

/**
 * Takes money online. A real provider (WeChat Pay, Alipay, UnionPay …) is an adapter behind this interface,
 * chosen by PAYMENT_PROVIDER; the platform records an accepted charge exactly as a desk's cash payment.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(charge: PaymentCharge): Promise<PaymentOutcome>;
}

/** The default: writes the charge to the log and accepts it. For development, tests and pilots that take cash only. */
@Injectable()
export class LogPaymentProvider implements PaymentProvider {
  readonly name = 'log';
  private readonly logger = new Logger('Payments');
  private seq = 0;

  async charge(charge: PaymentCharge): Promise<PaymentOutcome> {
    const reference = `log-${Date.now().toString(36)}-${++this.seq}`;
    this.logger.log({ patronId: charge.patronId, amountFen: charge.amountFen, reference }, 'online payment accepted (log provider)');
    return { accepted: true, reference };
  }
}
