import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class PaymentCodeDto {
  @ApiProperty({ example: 'pcd_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: '7912345678901234567897', description: '22 digits: provider prefix 79, 19 random digits, Luhn check digit' })
  code: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ description: 'Sandbox time the code stops working' }) expiresAt: string;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 30000,
    description:
      "Yen left of the sandbox's step-up allowance when the code was shown: a register asking more is refused " +
      "(`limit_exceeded`, `limit: 'step_up_allowance'`) until the customer passes a second factor and shows a new code. " +
      'null: the session passed one in the last 10 minutes, or the sandbox sets no allowance.',
  })
  payableWithoutStepUp: number | null;
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
