/** What the app shows of a store's QR before paying it: its fields, read from the EMVCo payload (the API checks the rest). */
export interface StoreQr {
  storeName: string;
  city: string;
  /** Set on a dynamic code (one payment of this amount); a static code asks the customer. */
  amount: number | null;
}

/** EMVCo TLV: two-digit id, two-digit length counted in characters, the value. */
function fields(text: string): Map<string, string> {
  const characters = [...text];
  const found = new Map<string, string>();
  let at = 0;
  while (at + 4 <= characters.length) {
    const id = characters.slice(at, at + 2).join('');
    const length = Number(characters.slice(at + 2, at + 4).join(''));
    if (!/^\d{2}$/.test(id) || !Number.isInteger(length) || at + 4 + length > characters.length) return new Map();
    found.set(id, characters.slice(at + 4, at + 4 + length).join(''));
    at += 4 + length;
  }
  return at === characters.length ? found : new Map();
}

/** The store's name, city and amount from a payload, or null when it is not a merchant-presented QR. */
export function readStoreQr(payload: string): StoreQr | null {
  const found = fields(payload.trim());
  if (found.get('00') !== '01' || !found.has('26') || !found.has('59')) return null;
  const amount = found.get('54');
  return { storeName: found.get('59') ?? '', city: found.get('60') ?? '', amount: amount ? Number(amount) : null };
}
