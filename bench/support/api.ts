/** The few calls the benchmark makes over HTTP outside its measurements. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  get<T>(path: string, token: string): Promise<T> {
    return this.call<T>('GET', path, token);
  }

  post<T>(path: string, token: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, token, body);
  }

  private async call<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}

export interface Sandbox {
  id: string;
  secretKey: string;
}

export interface Reconciliation {
  ok: boolean;
  asOf: string;
  discrepancies: Array<Record<string, unknown>>;
  totals: {
    accounts: { wallet: number; store: number; system: number };
    transfers: number;
    entriesSum: number;
    walletBalances: number;
    storeBalances: number;
  };
}
