import { Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Auth, CurrentPrincipal, NoBody, Problems, type UserPrincipal } from '#core';
import { buildCpm } from './emv.js';
import { type IssuedPaymentCode, PaymentCodes } from './payment-codes.js';
import { code128Svg, qrPng, qrSvg } from './renderers.js';

class PaymentCodeDto {
  @ApiProperty({ example: 'pcd_01kaxq3m5v8c0000000000000000' }) id: string;
  @ApiProperty({ example: '7912345678901234567897', description: '22 digits: provider prefix 79, 19 random digits, Luhn check digit' })
  code: string;
  @ApiProperty({ example: 'wal_01kaxq3m5v8c0000000000000000' }) walletId: string;
  @ApiProperty({ description: 'Sandbox time the code stops working' }) expiresAt: string;
}

const SVG = { content: { 'image/svg+xml': { schema: { type: 'string' } } } };
const PNG = { content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } };
/** The code is shown only while it can still be paid with. */
const LIVE_CODE_ONLY = Problems('code_used', 'code_expired');

class QrQuery {
  @ApiPropertyOptional({
    enum: ['jpqr', 'emv'],
    default: 'jpqr',
    description: 'jpqr: the digits themselves (as Japanese registers read them); emv: an EMVCo CPM payload',
  })
  @IsOptional()
  @IsIn(['jpqr', 'emv'])
  format?: 'jpqr' | 'emv';
}

@ApiTags('payment codes')
@Auth('user')
@Controller('v1/payment-codes')
export class PaymentCodesController {
  constructor(private readonly codes: PaymentCodes) {}

  @Post()
  @NoBody()
  @ApiOperation({
    operationId: 'createPaymentCode',
    summary: 'Issue a one-time code for the register (valid 5 minutes; the previous code stops working)',
  })
  @ApiCreatedResponse({ type: PaymentCodeDto })
  @Problems('service_suspended', 'wallet_on_hold')
  issue(@CurrentPrincipal() me: UserPrincipal): Promise<IssuedPaymentCode> {
    return this.codes.issue(me);
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
    return code128Svg(await this.codes.reveal(me, id));
  }

  private async content(me: UserPrincipal, id: string, query: QrQuery): Promise<string> {
    const code = await this.codes.reveal(me, id);
    return query.format === 'emv' ? buildCpm(code) : code;
  }
}
