import { Controller, Get, Header, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal, OptionalBody, Problems, type StorePrincipal } from '#core';
import { qrPng, qrSvg } from '#barcode';
import { StoreCodeBody, StoreCodeDto } from './dto/capture.dto.js';
import { GetStoreCodePayload } from './usecases/get-store-code-payload.js';
import { IssueStoreCode, type StoreCode } from './usecases/issue-store-code.js';

@ApiTags('store codes')
@Auth('store')
@Controller('v1/store-codes')
export class StoreCodesController {
  constructor(
    private readonly issueStoreCode: IssueStoreCode,
    private readonly storeCodePayload: GetStoreCodePayload,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createStoreCode', summary: 'A store-presented QR (EMVCo MPM): static, or single-use with an amount' })
  @ApiBody({ type: StoreCodeBody, required: false })
  @ApiCreatedResponse({ type: StoreCodeDto })
  @Problems('limit_exceeded', 'not_found')
  issue(@CurrentPrincipal() store: StorePrincipal, @OptionalBody(StoreCodeBody) body: StoreCodeBody): Promise<StoreCode> {
    return this.issueStoreCode.execute(store, body);
  }

  @Get(':id/qr.svg')
  @Header('Content-Type', 'image/svg+xml')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ operationId: 'getStoreCodeQrSvg', summary: 'The store code as a QR (SVG)' })
  @ApiOkResponse({ content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  async svg(@CurrentPrincipal() store: StorePrincipal, @Param('id') id: string): Promise<string> {
    return qrSvg(await this.storeCodePayload.execute(store, id));
  }

  @Get(':id/qr.png')
  @Header('Content-Type', 'image/png')
  @ApiProduces('image/png')
  @ApiOperation({ operationId: 'getStoreCodeQrPng', summary: 'The store code as a QR (PNG)' })
  @ApiOkResponse({ content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  async png(@CurrentPrincipal() store: StorePrincipal, @Param('id') id: string): Promise<Buffer> {
    return qrPng(await this.storeCodePayload.execute(store, id));
  }
}
