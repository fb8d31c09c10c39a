import { useCallback, useEffect, useState } from 'react';
import { useAction } from '../../components/use-action.js';

/**
 * What a room shows of the API: read when the room opens and again on
 * `reload()` (or when `version` changes); the problem if it was refused.
 */
export function useRead<T>(read: () => Promise<T>, version: unknown = 0) {
  const [data, setData] = useState<T | null>(null);
  const action = useAction(
    useCallback(async () => {
      setData(await read());
    }, [read]),
  );
  const { run } = action;
  useEffect(() => {
    void run();
  }, [run, version]);
  return { data, reload: run, busy: action.busy, problem: action.problem };
}
