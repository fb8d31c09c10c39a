import { type Problem, type WalletSandboxClient, createWalletSandboxClient, isProblem } from '@wallet-sandbox/client';

export type { Problem } from '@wallet-sandbox/client';

/** The console's calls go to its own origin: the api that serves it. */
const BASE_URL = window.location.origin;

/** `fetch`: a wrapper of the calls, e.g. the wallet's, which renews or ends its session on a 401. */
export function client(
  credentials: { token?: string; publishableKey?: string; fetch?: (request: Request) => Promise<Response> } = {},
): WalletSandboxClient {
  return createWalletSandboxClient({ baseUrl: BASE_URL, ...credentials });
}

/** What a screen shows of a failed call: the API's problem+json, or a stand-in when nothing came back. */
export function problemOf(error: unknown, response?: Response): Problem {
  if (isProblem(error)) return error;
  return {
    title: 'No answer',
    status: response?.status ?? 0,
    code: response ? `http_${response.status}` : 'network_error',
    detail: error instanceof Error ? error.message : undefined,
  };
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** The body of a successful answer, or a ProblemError carrying the refusal. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw new ProblemError(problemOf(error));
  }
  if (result.error !== undefined || !result.response.ok) throw new ProblemError(problemOf(result.error, result.response));
  return result.data as T;
}

/** An Idempotency-Key for one user action: a retry of the same click sends the same key. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
