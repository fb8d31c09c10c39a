import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** A Japanese bank account as a Zengin transfer names it (top-up by bank debit, refund payouts). */
export class BankAccountBody {
  @ApiProperty({ example: '0001', description: 'Zengin bank code' })
  @Matches(/^\d{4}$/, { message: 'must be 4 digits' })
  bankCode!: string;

  @ApiProperty({ example: '123' })
  @Matches(/^\d{3}$/, { message: 'must be 3 digits' })
  branchCode!: string;

  @ApiProperty({ example: '1234567', description: 'Test numbers are listed in docs/top-ups.md' })
  @Matches(/^\d{7}$/, { message: 'must be 7 digits' })
  accountNumber!: string;

  @ApiProperty({ example: 'ヤマダ タロウ' })
  @IsString()
  @Length(1, 48)
  holder!: string;
}
