import { Injectable } from '@nestjs/common';
import { Database, DomainError, type StorePrincipal } from '#core';
import { StoreCodesRepository } from '../store-codes.repository.js';

/** The EMVCo payload of one of the store's own codes, to render as a QR. */
@Injectable()
export class GetStoreCodePayload {
  constructor(
    private readonly db: Database,
    private readonly codes: StoreCodesRepository,
  ) {}

  async execute(store: StorePrincipal, id: string): Promise<string> {
    const payload = await this.codes.findPayload(this.db, store.sandbox.id, id, store.storeId);
    if (payload === null) throw DomainError.notFound('store code', id);
    return payload;
  }
}
