import { Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, type ClientFacts, CurrentPrincipal, NoBody, Problems, type UserPrincipal } from '#core';
import { Client } from '#identity';
import { PaymentCodeDto, QrQuery } from './dto/barcode.dto.js';
import { buildCpm } from './emv.js';
import { code128Svg, qrPng, qrSvg } from './renderers.js';
import { type IssuedPaymentCode, IssuePaymentCode } from './usecases/issue-payment-code.js';
import { RevealPaymentCode } from './usecases/reveal-payment-code.js';

const SVG = { content: { 'image/svg+xml': { schema: { type: 'string' } } } };
const PNG = { content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } };
/** The code is shown only while it can still be paid with. */
const LIVE_CODE_ONLY = Problems('code_used', 'code_expired');

@ApiTags('payment codes')
@Auth('user')
@Controller('v1/payment-codes')
export class PaymentCodesController {
  constructor(
    private readonly issuePaymentCode: IssuePaymentCode,
    private readonly revealPaymentCode: RevealPaymentCode,
  ) {}

  @Post()
  @NoBody()
  @ApiOperation({
    operationId: 'createPaymentCode',
    summary: 'Issue a one-time code for the register (valid 5 minutes; the previous code stops working)',
  })
  @ApiCreatedResponse({ type: PaymentCodeDto })
  @Problems('service_suspended', 'wallet_on_hold', 'step_up_required', 'rate_limited')
  issue(@CurrentPrincipal() me: UserPrincipal, @Client() client: ClientFacts): Promise<IssuedPaymentCode> {
    return this.issuePaymentCode.execute(me, client);
  }

  @Get(':id/qr.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ operationId: 'getPaymentCodeQrSvg', summary: 'The live code as a QR (SVG)' })
  @ApiOkResponse(SVG)
  @LIVE_CODE_ONLY
  async qrSvg(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string, @Query() query: QrQuery): Promise<string> {
    return qrSvg(await this.content(me, id, query));
  }

  @Get(':id/qr.png')
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('image/png')
  @ApiOperation({ operationId: 'getPaymentCodeQrPng', summary: 'The live code as a QR (PNG)' })
  @ApiOkResponse(PNG)
  @LIVE_CODE_ONLY
  async qrPng(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string, @Query() query: QrQuery): Promise<Buffer> {
    return qrPng(await this.content(me, id, query));
  }

  @Get(':id/barcode.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ operationId: 'getPaymentCodeBarcodeSvg', summary: 'The live code as a Code 128 barcode (SVG)' })
  @ApiOkResponse(SVG)
  @LIVE_CODE_ONLY
  async barcode(@CurrentPrincipal() me: UserPrincipal, @Param('id') id: string): Promise<string> {
    return code128Svg(await this.revealPaymentCode.execute(me, id));
  }

  private async content(me: UserPrincipal, id: string, query: QrQuery): Promise<string> {
    const code = await this.revealPaymentCode.execute(me, id);
    return query.format === 'emv' ? buildCpm(code) : code;
  }
}
