/**
 * EMVCo QR payloads. Merchant-presented (MPM, JPQR's store QR): text TLV
 * with a 2-digit id and a 2-digit length counted in characters, not bytes
 * (the specification's own example has `0104最佳运输`), ending in a
 * CRC-16/CCITT-FALSE over the UTF-8 bytes. Consumer-presented (CPM): BER-TLV
 * bytes, base64 in the QR.
 */

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** A field's value is at most 99 characters; callers clip what people typed (see clip). */
export function tlv(id: string, value: string): string {
  const length = [...value].length;
  if (length > 99) throw new Error(`EMV field ${id} is longer than 99 characters`);
  return `${id}${String(length).padStart(2, '0')}${value}`;
}

/** The first `max` characters of a text, counted by code point so a character is never cut in half. */
export function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length > max ? characters.slice(0, max).join('') : text;
}

export function parseTlv(text: string): Map<string, string> {
  const characters = [...text];
  const fields = new Map<string, string>();
  let at = 0;
  while (at < characters.length) {
    const id = characters.slice(at, at + 2).join('');
    const lengthText = characters.slice(at + 2, at + 4).join('');
    const length = Number(lengthText);
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(lengthText) || at + 4 + length > characters.length) {
      throw new Error(`malformed EMV TLV at position ${at}`);
    }
    fields.set(id, characters.slice(at + 4, at + 4 + length).join(''));
    at += 4 + length;
  }
  return fields;
}

/** Our Merchant Account Information template (id 26): globally unique id, then store and code. */
export const MERCHANT_GUID = 'jp.walletsandbox';

export interface MerchantPresented {
  storeId: string;
  storeCodeId: string;
  merchantName: string;
  merchantCity: string;
  categoryCode: string;
  /** Yen; absent for a static code (the customer enters the amount). */
  amount?: number;
  terminalLabel?: string;
}

export function buildMpm(code: MerchantPresented): string {
  const fields = [
    tlv('00', '01'),
    tlv('01', code.amount === undefined ? '11' : '12'),
    tlv('26', tlv('00', MERCHANT_GUID) + tlv('01', code.storeId) + tlv('02', code.storeCodeId)),
    tlv('52', code.categoryCode),
    tlv('53', '392'),
    ...(code.amount === undefined ? [] : [tlv('54', String(code.amount))]),
    tlv('58', 'JP'),
    // EMVCo's maximum lengths: a name of 25 characters, a city of 15, reference and terminal labels of 25.
    tlv('59', clip(code.merchantName, 25)),
    tlv('60', clip(code.merchantCity, 15)),
    tlv('62', tlv('05', code.storeCodeId.slice(-25)) + (code.terminalLabel ? tlv('07', clip(code.terminalLabel, 25)) : '')),
  ].join('');
  const withCrcHeader = `${fields}6304`;
  return `${withCrcHeader}${crc16(withCrcHeader)}`;
}

/** Parses and checks an MPM payload; throws on a bad CRC, another scheme or missing fields. */
export function parseMpm(payload: string): MerchantPresented {
  if (payload.length < 8 || payload.slice(-8, -4) !== '6304') throw new Error('the payload does not end with a CRC field');
  if (crc16(payload.slice(0, -4)) !== payload.slice(-4).toUpperCase()) throw new Error('the CRC does not match');
  const fields = parseTlv(payload.slice(0, -8));
  if (fields.get('00') !== '01') throw new Error('unknown payload format');
  const account = parseTlv(fields.get('26') ?? '');
  if (account.get('00') !== MERCHANT_GUID) throw new Error('not a Wallet Sandbox merchant code');
  const storeId = account.get('01');
  const storeCodeId = account.get('02');
  if (!storeId || !storeCodeId) throw new Error('the merchant account lacks the store');
  if (fields.get('53') !== '392') throw new Error('the currency is not JPY');
  const amountText = fields.get('54');
  const additional = fields.has('62') ? parseTlv(fields.get('62') as string) : new Map<string, string>();
  return {
    storeId,
    storeCodeId,
    merchantName: fields.get('59') ?? '',
    merchantCity: fields.get('60') ?? '',
    categoryCode: fields.get('52') ?? '0000',
    amount: amountText === undefined ? undefined : Number(amountText),
    terminalLabel: additional.get('07'),
  };
}

function berTlv(tag: number[], value: Buffer): Buffer {
  if (value.length > 127) throw new Error('BER-TLV value too long');
  return Buffer.concat([Buffer.from(tag), Buffer.from([value.length]), value]);
}

/** A pseudo application identifier for Wallet Sandbox (registered AIDs belong to real schemes). */
export const CPM_AID = Buffer.from('A000000999575301', 'hex');

/**
 * EMVCo consumer-presented payload: Payload Format Indicator "CPV01" (85)
 * and an Application Template (61) holding the AID (4F) and the payment code
 * as packed BCD (5A), base64-encoded.
 */
export function buildCpm(paymentCode: string): string {
  const bcd = Buffer.from(paymentCode.length % 2 === 0 ? paymentCode : `${paymentCode}F`, 'hex');
  const template = berTlv([0x61], Buffer.concat([berTlv([0x4f], CPM_AID), berTlv([0x5a], bcd)]));
  return Buffer.concat([berTlv([0x85], Buffer.from('CPV01', 'ascii')), template]).toString('base64');
}

export function parseCpm(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  const pan = bytes.indexOf(0x5a, 7);
  if (bytes.subarray(0, 2).toString('hex') !== '8505' || bytes.subarray(2, 7).toString('ascii') !== 'CPV01' || pan < 0) {
    throw new Error('not an EMVCo CPM payload');
  }
  return bytes
    .subarray(pan + 2, pan + 2 + bytes[pan + 1])
    .toString('hex')
    .replace(/f$/i, '');
}
