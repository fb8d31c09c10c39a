import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentSandbox, NoBody, type Page, PageQuery, type SandboxContext } from '#core';
import {
  CreateStoreBody,
  CreatedStoreDto,
  CreateTerminalBody,
  StoreDto,
  StoreKeyDto,
  StoreListDto,
  TerminalDto,
} from './dto/capture.dto.js';
import type { Store, StoreKey, StoreTerminal } from './stores.js';
import { AddTerminal } from './usecases/add-terminal.js';
import { CreateStore } from './usecases/create-store.js';
import { GetStore } from './usecases/get-store.js';
import { IssueStoreKey } from './usecases/issue-store-key.js';
import { ListStores } from './usecases/list-stores.js';

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
}
