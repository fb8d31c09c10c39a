import { useCallback, useState } from 'react';
import { type Problem, ProblemError } from '../api.js';

/**
 * One user action against the API: whether it is running, and the problem
 * it was refused with. Errors that are not refusals are thrown on.
 */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setProblem(null);
      try {
        return await action(...args);
      } catch (error) {
        if (error instanceof ProblemError) {
          setProblem(error.problem);
          return undefined;
        }
        throw error;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, problem, setProblem };
}
