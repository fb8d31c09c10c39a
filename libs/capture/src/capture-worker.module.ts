import { Module } from '@nestjs/common';
import { SandboxModule } from '#sandbox';
import { CaptureProcessor } from './capture.processor.js';
import { CaptureModule } from './capture.module.js';

@Module({ imports: [CaptureModule, SandboxModule], providers: [CaptureProcessor] })
export class CaptureWorkerModule {}
