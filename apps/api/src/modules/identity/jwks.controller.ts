import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { JwtKeySet, Public } from '#platform';
import { JwksDto } from './dto/identity.responses.js';

/** The public keys of access tokens, for any app that verifies them (the legacy proxy, a split-out service). */
@ApiTags('auth')
@Public()
@SkipThrottle()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: JwtKeySet) {}

  @Get('jwks.json') @Header('cache-control', 'public, max-age=300') @ApiOkResponse({ type: JwksDto })
  jwks() { return this.keys.jwks(); }
}
