import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiForbiddenResponse, ApiHeader, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Public } from '#platform';
import { ExchangedTokenDto, TokenExchangeDto } from './dto/token-exchange.dto.js';
import { TokenExchangeService } from './token-exchange.service.js';

export const PROXY_SECRET_HEADER = 'x-proxy-exchange-secret';

/** For the legacy proxy only: it holds the shared secret. */
@ApiTags('auth')
@Controller('auth')
export class TokenExchangeController {
  constructor(private readonly exchange: TokenExchangeService) {}

  @Public() @Post('token-exchange') @HttpCode(200) @ApiOkResponse({ type: ExchangedTokenDto, description: 'A short-lived access token for the legacy customer (create-or-link by email)' })
  @ApiHeader({ name: PROXY_SECRET_HEADER, required: true, description: 'PROXY_EXCHANGE_SECRET; the legacy proxy only' })
  @ApiUnauthorizedResponse({ description: 'No proxy secret' }) @ApiForbiddenResponse({ description: 'Wrong proxy secret, exchange not enabled, or a disabled account' })
  tokenFor(@Caller() ctx: CallContext, @Headers(PROXY_SECRET_HEADER) secret: string | undefined, @Body() dto: TokenExchangeDto) { return this.exchange.exchange(ctx, secret, dto); }
}
