import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { components } from '@wallet-sandbox/client';
import { type Connection, ok, okAs } from './api.js';
import type { Customer, Customers } from './customers.js';

export type Payment = components['schemas']['PaymentDto'];
export type PaymentCode = components['schemas']['PaymentCodeDto'];

export interface Store {
  id: string;
  name: string;
  /** The register's key (`stk_test_…`), shown once. */
  apiKey: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
}

export interface Picture {
  /** Where the api serves it, to the customer's token. */
  url: string;
  /** A copy to open or scan. */
  file: string;
}

/** The shop side of a purchase: a store with its register key, and what the register does with a customer's code. */
export class Registers {
  constructor(
    private readonly api: Connection,
    private readonly customers: Customers,
  ) {}

  openStore(name = '7-Eleven Ginza 1-chome'): Promise<Store> {
    return okAs<Store>(this.api.secret.POST('/v1/stores', { body: { name, city: 'Tokyo' } }));
  }

  /** The one-time code the customer's app shows. */
  showCode(customer: Customer): Promise<PaymentCode> {
    return this.customers.stepUp(customer, () => this.customers.app(customer).POST('/v1/payment-codes'));
  }

  /** The code's QR and barcode, as the app shows them at the register, saved in a directory. */
  async pictures(customer: Customer, code: PaymentCode, directory: string): Promise<{ qr: Picture; barcode: Picture }> {
    const app = this.customers.app(customer);
    const options = { params: { path: { id: code.id } }, parseAs: 'text' } as const;
    const [qr, barcode] = await Promise.all([
      okAs<string>(app.GET('/v1/payment-codes/{id}/qr.svg', options)),
      okAs<string>(app.GET('/v1/payment-codes/{id}/barcode.svg', options)),
    ]);
    const picture = (name: string, svg: string): Picture => {
      const file = join(directory, `${code.id}-${name}.svg`);
      writeFileSync(file, svg);
      return { url: `${this.api.baseUrl}/v1/payment-codes/${code.id}/${name}.svg`, file };
    };
    return { qr: picture('qr', qr), barcode: picture('barcode', barcode) };
  }

  /** The register scans the code: captured at once, or only authorised (`capture: false`) to capture or void later. */
  scan(store: Store, code: PaymentCode, amount: number, capture = true): Promise<Payment> {
    // allowPartial has a default, but the OpenAPI document lists it as required.
    return ok(this.api.bearer(store.apiKey).POST('/v1/payments', { body: { code: code.code, amount, capture, allowPartial: false } }));
  }

  void(store: Store, payment: Payment): Promise<Payment> {
    return ok(this.api.bearer(store.apiKey).POST('/v1/payments/{id}/void', { params: { path: { id: payment.id } } }));
  }

  refund(store: Store, payment: Payment, amount: number): Promise<Refund> {
    return okAs<Refund>(
      this.api.bearer(store.apiKey).POST('/v1/payments/{id}/refunds', { params: { path: { id: payment.id } }, body: { amount } }),
    );
  }

  /** A customer with a balance to spend, funded by the sandbox (no card, no second factor). */
  async fund(customer: Customer, amount: number): Promise<void> {
    await ok(
      this.api.secret.POST('/v1/sandbox/wallets/{walletId}/fund', { params: { path: { walletId: customer.walletId } }, body: { amount } }),
    );
  }
}
