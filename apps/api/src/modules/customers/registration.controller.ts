import { Body, Controller, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Public } from '#platform';
import { CustomersService } from './customers.service.js';
import { RegisterDto } from './dto/register.dto.js';
import { RegisteredDto } from './dto/customers.responses.js';

@ApiTags('auth')
@Controller('auth')
export class RegistrationController {
  constructor(private readonly customers: CustomersService) {}

  @Public() @Post('register') @ApiCreatedResponse({ type: RegisteredDto, description: 'The account and its profile, signed in' }) @ApiConflictResponse({ description: 'IDENTITY.EMAIL_TAKEN' })
  register(@Caller() ctx: CallContext, @Body() dto: RegisterDto) { return this.customers.register(ctx, dto); }
}
