import { Module } from '@nestjs/common';
import { BarcodeModule } from './barcode.module.js';
import { BarcodeProcessor } from './barcode.processor.js';

@Module({ imports: [BarcodeModule], providers: [BarcodeProcessor] })
export class BarcodeWorkerModule {}
