import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Public } from '#platform';
import { AccountsService } from './accounts.service.js';
import { ForgotPasswordDto, LoginDto, ResetPasswordDto } from './dto/credentials.dto.js';
import { TokenPairDto, WhoAmIDto } from './dto/identity.responses.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { PasswordResetService } from './password-reset.service.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly passwordReset: PasswordResetService,
  ) {}

  @Public() @Post('login') @HttpCode(200) @ApiOkResponse({ type: TokenPairDto })
  login(@Caller() ctx: CallContext, @Body() dto: LoginDto) { return this.accounts.login(ctx, dto); }

  @Public() @Post('refresh') @HttpCode(200) @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() dto: RefreshDto) { return this.sessions.refresh(dto.refreshToken); }

  @Public() @Post('logout') @HttpCode(204) @ApiNoContentResponse({ description: 'The sign-in (token family) is revoked' })
  logout(@Body() dto: RefreshDto) { return this.sessions.logout(dto.refreshToken); }

  @Public() @Post('password/forgot') @HttpCode(202) @ApiAcceptedResponse({ description: 'A reset email is on its way if the account exists' })
  forgot(@Caller() ctx: CallContext, @Body() dto: ForgotPasswordDto) { return this.passwordReset.request(ctx, dto.email); }

  @Public() @Post('password/reset') @HttpCode(204) @ApiNoContentResponse({ description: 'Password changed; every session signed out' })
  reset(@Caller() ctx: CallContext, @Body() dto: ResetPasswordDto) { return this.passwordReset.reset(ctx, dto.token, dto.password); }

  @Get('whoami') @ApiBearerAuth() @ApiOkResponse({ type: WhoAmIDto, description: "The access token's claims; no database or Redis call" })
  whoami(@Caller() ctx: CallContext): WhoAmIDto { return { userId: ctx.userId ?? '', roles: ctx.roles }; }
}
