import { type RefObject, useEffect, useRef } from 'react';

/** The latest value of a prop, for a long-running effect (a camera, a poll) that must not restart when the prop changes. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  }, [value]);
  return ref;
}
