import { Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '#platform';
import { PaymentsWebhooksService } from './payments-webhooks.service.js';
import { RAW_BODY_ROUTE, RawBody } from './raw-body.setup.js';

@ApiTags('payments')
@Controller('payments/webhooks')
export class PaymentsWebhooksController {
  constructor(private readonly webhooks: PaymentsWebhooksService) {}

  @Post(':provider') @Public() @HttpCode(200) @RouteConfig(RAW_BODY_ROUTE) @ApiOkResponse({ description: 'Taken in (also a redelivery, or an event older than the payment\'s state: acknowledged, nothing changes)' }) @ApiBadRequestResponse({ description: 'Signature missing, wrong or outside the 5-minute tolerance: nothing changes' })
  receive(@Param('provider') provider: string, @RawBody() raw: Buffer, @Headers() headers: Record<string, string | undefined>) { return this.webhooks.receive(provider, raw, headers); }
}
