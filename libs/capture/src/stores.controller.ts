import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, NoBody, OptionalBody, type Page, PageQuery, Problems, RollKeyBody, type SandboxContext } from '#core';
import {
  CreateStoreBody,
  CreatedStoreDto,
  CreateTerminalBody,
  RolledStoreKeyDto,
  StoreDto,
  StoreKeyDto,
  StoreKeyListDto,
  StoreKeyStateDto,
  StoreListDto,
  TerminalDto,
} from './dto/capture.dto.js';
import type { Store, StoreKey, StoreKeyState, StoreTerminal } from './stores.js';
import { AddTerminal } from './usecases/add-terminal.js';
import { CreateStore } from './usecases/create-store.js';
import { GetStore } from './usecases/get-store.js';
import { IssueStoreKey } from './usecases/issue-store-key.js';
import { ListStoreKeys } from './usecases/list-store-keys.js';
import { ListStores } from './usecases/list-stores.js';
import { RevokeStoreKey } from './usecases/revoke-store-key.js';
import { type RolledStoreKey, RollStoreKey } from './usecases/roll-store-key.js';

@ApiTags('stores')
@Auth('secret')
@Controller('v1/stores')
export class StoresController {
  constructor(
    private readonly createStore: CreateStore,
    private readonly listStores: ListStores,
    private readonly getStore: GetStore,
    private readonly addTerminalToStore: AddTerminal,
    private readonly issueStoreKey: IssueStoreKey,
    private readonly listStoreKeys: ListStoreKeys,
    private readonly rollStoreKey: RollStoreKey,
    private readonly revokeStoreKey: RevokeStoreKey,
  ) {}

  @Post()
  @ApiOperation({ operationId: 'createStore', summary: 'Open a store: its ledger account and its register key (apiKey, shown once)' })
  @ApiCreatedResponse({ type: CreatedStoreDto })
  create(@CurrentSandbox() sandbox: SandboxContext, @Body() body: CreateStoreBody): Promise<Store & { apiKey: string }> {
    return this.createStore.execute(sandbox, body);
  }

  @Get()
  @ApiOperation({ operationId: 'listStores', summary: "The sandbox's stores, newest first" })
  @ApiOkResponse({ type: StoreListDto })
  list(@CurrentSandbox() sandbox: SandboxContext, @Query() query: PageQuery): Promise<Page<Store>> {
    return this.listStores.execute(sandbox.id, { limit: query.limit, startingAfter: query.starting_after });
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getStore', summary: 'One store' })
  @ApiOkResponse({ type: StoreDto })
  get(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<Store> {
    return this.getStore.execute(sandbox.id, id);
  }

  @Post(':id/terminals')
  @ApiOperation({ operationId: 'createTerminal', summary: 'Add a terminal (register) to a store' })
  @ApiCreatedResponse({ type: TerminalDto })
  addTerminal(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @Body() body: CreateTerminalBody,
  ): Promise<StoreTerminal> {
    return this.addTerminalToStore.execute(sandbox, id, body.name);
  }

  @Post(':id/keys')
  @NoBody()
  @ApiOperation({
    operationId: 'createStoreKey',
    summary: 'Another register key (apiKey, shown once) for a store, e.g. for a new register',
  })
  @ApiCreatedResponse({ type: StoreKeyDto })
  issueKey(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string): Promise<StoreKey & { apiKey: string }> {
    return this.issueStoreKey.execute(sandbox, id);
  }

  @Get(':id/keys')
  @ApiOperation({ operationId: 'listStoreKeys', summary: "A store's register keys that still work, newest first" })
  @ApiOkResponse({ type: StoreKeyListDto })
  listKeys(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string, @Query() query: PageQuery): Promise<Page<StoreKeyState>> {
    return this.listStoreKeys.execute(sandbox.id, id, { limit: query.limit, startingAfter: query.starting_after });
  }

  @Post(':id/keys/:keyId/roll')
  @ApiOperation({
    operationId: 'rollStoreKey',
    summary: 'Replace a register key with a new one (apiKey, shown once); the old one stops at once or after expiresInSeconds',
  })
  @ApiBody({ type: RollKeyBody, required: false })
  @ApiCreatedResponse({ type: RolledStoreKeyDto })
  @Problems('key_rolled')
  rollKey(
    @CurrentSandbox() sandbox: SandboxContext,
    @Param('id') id: string,
    @Param('keyId') keyId: string,
    @OptionalBody(RollKeyBody) body: RollKeyBody,
  ): Promise<RolledStoreKey> {
    return this.rollStoreKey.execute(sandbox, id, keyId, body.expiresInSeconds ?? 0);
  }

  @Post(':id/keys/:keyId/revoke')
  @NoBody()
  @HttpCode(200)
  @ApiOperation({ operationId: 'revokeStoreKey', summary: 'Stop a register key now, in every api process' })
  @ApiOkResponse({ type: StoreKeyStateDto })
  revokeKey(@CurrentSandbox() sandbox: SandboxContext, @Param('id') id: string, @Param('keyId') keyId: string): Promise<StoreKeyState> {
    return this.revokeStoreKey.execute(sandbox.id, id, keyId);
  }
}
