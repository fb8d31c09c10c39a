import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type ClientFacts, CurrentPrincipal, NoBody, Problems, type UserPrincipal } from '#core';
import { Client } from './client-facts.js';
import {
  AcceptedMessageDto,
  ChangeEmailBody,
  ChangePhoneBody,
  ConfirmEmailBody,
  PhoneChangeDto,
  ProfileDto,
  VerifyBody,
} from './dto/auth.dto.js';
import { RequireStepUp } from './step-up.guard.js';
import { ChangeEmail, EMAIL_CHANGE_ACCEPTED } from './usecases/change-email.js';
import { ChangePhone } from './usecases/change-phone.js';
import { CloseAccount } from './usecases/close-account.js';
import { GetProfile, type Profile } from './usecases/get-profile.js';

@ApiTags('customer account')
@Auth('user')
@Controller('v1/account')
export class AccountController {
  constructor(
    private readonly profiles: GetProfile,
    private readonly emailChange: ChangeEmail,
    private readonly phoneChange: ChangePhone,
    private readonly closure: CloseAccount,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getAccount', summary: "The signed-in customer's profile" })
  @ApiOkResponse({ type: ProfileDto })
  profile(@CurrentPrincipal() me: UserPrincipal): Promise<Profile> {
    return this.profiles.execute(me);
  }

  @Post('email')
  @HttpCode(202)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'changeEmail',
    summary:
      'Ask to change the e-mail address (second factor required): the same answer whether or not the address is taken; a link goes to the new address',
  })
  @ApiAcceptedResponse({ type: AcceptedMessageDto })
  changeEmail(@CurrentPrincipal() me: UserPrincipal, @Body() body: ChangeEmailBody): Promise<typeof EMAIL_CHANGE_ACCEPTED> {
    return this.emailChange.request(me, body.email);
  }

  @Post('email/confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmEmailChange',
    summary: 'Confirm the new e-mail address with the token sent to it (signed in as who asked); both addresses are told',
  })
  @ApiOkResponse({ type: ProfileDto })
  confirmEmail(@CurrentPrincipal() me: UserPrincipal, @Body() body: ConfirmEmailBody, @Client() client: ClientFacts): Promise<Profile> {
    return this.emailChange.confirm(me, body.token, client);
  }

  @Delete()
  @NoBody()
  @HttpCode(204)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'closeAccount',
    summary: 'Close the membership (second factor required): sign-in stops; closing before the service ends gives up the refund right',
  })
  @ApiNoContentResponse()
  // A body is refused, and this call has no parameter that would list that refusal already.
  @Problems('invalid_request')
  close(@CurrentPrincipal() me: UserPrincipal): Promise<void> {
    return this.closure.execute(me);
  }

  @Post('phone')
  @HttpCode(202)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'changePhone',
    summary:
      'Ask to change the phone number (second factor required): a code goes by SMS to the new number, and nothing changes until it is confirmed',
  })
  @ApiAcceptedResponse({ type: PhoneChangeDto })
  changePhone(
    @CurrentPrincipal() me: UserPrincipal,
    @Body() body: ChangePhoneBody,
    @Client() client: ClientFacts,
  ): Promise<PhoneChangeDto> {
    return this.phoneChange.request(me, body.phone, client) as Promise<PhoneChangeDto>;
  }

  @Post('phone/confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmPhoneChange',
    summary:
      'Confirm the new phone number with the code sent to it (the session that asked, within 5 minutes, 5 tries; wrong codes count as other codes do); both numbers are told',
  })
  @ApiOkResponse({ type: ProfileDto })
  @Problems('mfa_required', 'rate_limited')
  confirmPhone(@CurrentPrincipal() me: UserPrincipal, @Body() body: VerifyBody, @Client() client: ClientFacts): Promise<Profile> {
    return this.phoneChange.confirm(me, body, client);
  }
}
