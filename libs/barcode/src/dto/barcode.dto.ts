import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class PaymentCodeDto {
  @ApiProperty({ example: 'pcd_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: '7912345678901234567897', description: '22 digits: provider prefix 79, 19 random digits, Luhn check digit' })
  code: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ description: 'Sandbox time the code stops working' }) expiresAt: string;
}

export class QrQuery {
  @ApiPropertyOptional({
    enum: ['jpqr', 'emv'],
    default: 'jpqr',
    description: 'jpqr: the digits themselves (as Japanese registers read them); emv: an EMVCo CPM payload',
  })
  @IsOptional()
  @IsIn(['jpqr', 'emv'])
  format?: 'jpqr' | 'emv';
}
