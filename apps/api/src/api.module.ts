import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import {
  CoreHttpModule,
  CoreModule,
  CredentialGuard,
  IdempotencyInterceptor,
  ProblemFilter,
  SimulationGuard,
  createValidationPipe,
} from '#core';
import { BarcodeModule } from '#barcode';
import { CaptureModule } from '#capture';
import { FraudModule } from '#fraud';
import { IdentityModule } from '#identity';
import { LedgerModule } from '#ledger';
import { LifecycleModule } from '#lifecycle';
import { TopupModule } from '#topup';
import { SandboxModule } from '#sandbox';
import { WebhooksModule } from '#webhooks';
import { ApiIndexController } from './api-index.controller.js';

/** The HTTP process: controllers of every module behind one guard, one pipe, one filter. */
@Module({
  imports: [
    CoreModule,
    CoreHttpModule,
    SandboxModule,
    LedgerModule,
    IdentityModule,
    BarcodeModule,
    CaptureModule,
    TopupModule,
    FraudModule,
    LifecycleModule,
    WebhooksModule,
  ],
  controllers: [ApiIndexController],
  providers: [
    { provide: APP_GUARD, useClass: CredentialGuard },
    // After the credential guard: a simulated outcome still needs a valid credential.
    { provide: APP_GUARD, useClass: SimulationGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class ApiModule {}
