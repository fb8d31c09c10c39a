import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreModule, type ResealReport, SealedData, Secrets } from '#core';
import { BarcodeModule } from '#barcode';
import { IdentityModule } from '#identity';
import { LifecycleModule } from '#lifecycle';
import { WebhooksModule } from '#webhooks';

/** The modules that keep sealed values; each registers its columns with SealedData as it starts. */
@Module({ imports: [CoreModule, IdentityModule, BarcodeModule, WebhooksModule, LifecycleModule] })
export class KeyRotationModule {}

/** Re-seals every sealed column under the current key. */
export async function resealEverything(): Promise<{ keyId: string; reports: ResealReport[] }> {
  const app = await NestFactory.createApplicationContext(KeyRotationModule, { logger: ['error', 'warn'], abortOnError: false });
  try {
    await app.init();
    return { keyId: app.get(Secrets).keyId, reports: await app.get(SealedData).resealAll() };
  } finally {
    await app.close();
  }
}
