import { Module } from '@nestjs/common';
import { SandboxModule } from '#sandbox';
import { LifecycleModule } from './lifecycle.module.js';
import { LifecycleProcessor } from './lifecycle.processor.js';

@Module({ imports: [LifecycleModule, SandboxModule], providers: [LifecycleProcessor] })
export class LifecycleWorkerModule {}
