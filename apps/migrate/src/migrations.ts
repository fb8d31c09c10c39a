import { Core1764000000000, type MigrationClass } from '#core';
import { Identity1764000003000 } from '#identity';
import { Ledger1764000002000 } from '#ledger';
import { Sandbox1764000001000 } from '#sandbox';

/** Every module's migrations, in timestamp order. */
export const MIGRATIONS: MigrationClass[] = [Core1764000000000, Sandbox1764000001000, Ledger1764000002000, Identity1764000003000];
