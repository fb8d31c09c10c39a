import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type ClientFacts, CurrentPrincipal, NoBody, type UserPrincipal } from '#core';
import { Client } from './client-facts.js';
import { ChangeEmailBody, ChangePhoneBody } from './dto/auth.dto.js';
import { RequireStepUp } from './step-up.guard.js';
import { Account, type Profile } from './usecases/account.js';

@ApiTags('customer account')
@Auth('user')
@Controller('v1/account')
export class AccountController {
  constructor(private readonly account: Account) {}

  @Get()
  @ApiOperation({ summary: "The signed-in customer's profile" })
  profile(@CurrentPrincipal() me: UserPrincipal): Promise<Profile> {
    return this.account.profile(me);
  }

  @Post('email')
  @HttpCode(200)
  @RequireStepUp()
  @ApiOperation({ summary: 'Change the e-mail address (second factor required); both addresses are told' })
  changeEmail(@CurrentPrincipal() me: UserPrincipal, @Body() body: ChangeEmailBody, @Client() client: ClientFacts): Promise<Profile> {
    return this.account.changeEmail(me, body.email, client);
  }

  @Delete()
  @NoBody()
  @HttpCode(204)
  @RequireStepUp()
  @ApiOperation({
    summary: 'Close the membership (second factor required): sign-in stops; closing before the service ends gives up the refund right',
  })
  close(@CurrentPrincipal() me: UserPrincipal): Promise<void> {
    return this.account.close(me);
  }

  @Post('phone')
  @HttpCode(200)
  @RequireStepUp()
  @ApiOperation({ summary: 'Change the phone number (second factor required); both numbers are told' })
  changePhone(@CurrentPrincipal() me: UserPrincipal, @Body() body: ChangePhoneBody, @Client() client: ClientFacts): Promise<Profile> {
    return this.account.changePhone(me, body.phone, client);
  }
}
