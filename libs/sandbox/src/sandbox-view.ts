import type { SandboxTime } from '#core';

export interface SandboxView {
  id: string;
  name: string;
  securityProfile: string;
  simulatedClientIps: boolean;
  stepUpAllowance: number | null;
  createdAt: string;
  clock: { now: string; offsetSeconds: number };
}

export function clockOf(time: SandboxTime): { now: string; offsetSeconds: number } {
  return { now: time.now().toISOString(), offsetSeconds: Math.floor(time.offsetMs / 1000) };
}
