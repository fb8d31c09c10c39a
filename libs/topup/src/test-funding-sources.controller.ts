import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '#core';
import { type TestFundingSource, testBankAccounts, testCards } from './card-network.js';
import { TestFundingSourceListDto } from './dto/topup.dto.js';

/** The simulated card network's and bank's test numbers, for an app (or a test) to pick from. */
@ApiTags('cards and bank accounts')
@Auth('publishable', 'user', 'secret')
@Controller('v1')
export class TestFundingSourcesController {
  @Get('test-cards')
  @ApiOperation({
    operationId: 'listTestCards',
    summary: 'Test card numbers and what a top-up from each does (any other Luhn-valid number succeeds)',
  })
  @ApiOkResponse({ type: TestFundingSourceListDto })
  cards(): { data: TestFundingSource[]; has_more: false } {
    return { data: testCards(), has_more: false };
  }

  @Get('test-bank-accounts')
  @ApiOperation({
    operationId: 'listTestBankAccounts',
    summary: 'Test bank account numbers and what a bank-debit top-up from each does (any other number succeeds)',
  })
  @ApiOkResponse({ type: TestFundingSourceListDto })
  bankAccounts(): { data: TestFundingSource[]; has_more: false } {
    return { data: testBankAccounts(), has_more: false };
  }
}
