import { Module } from '@nestjs/common';
import { SandboxModule } from '#sandbox';
import { IdentityModule } from './identity.module.js';
import { IdentityProcessor } from './identity.processor.js';

@Module({ imports: [IdentityModule, SandboxModule], providers: [IdentityProcessor] })
export class IdentityWorkerModule {}
