import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IDENTITY_API } from '#contracts';
import { AccessTokenSigner } from './access-token.signer.js';
import { Account } from './account.entity.js';
import { AccountsAdminController } from './accounts-admin.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';
import { AuthController } from './auth.controller.js';
import { IdentityFacade } from './identity.facade.js';
import { CREDENTIALS_PURGE_QUEUE, CredentialsPurgeProcessor } from './jobs/credentials-purge.processor.js';
import { JwksController } from './jwks.controller.js';
import { AccessChangedListener } from './listeners/access-changed.listener.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordReset } from './password-reset.entity.js';
import { PasswordResetService } from './password-reset.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { TokenExchangeController } from './token-exchange.controller.js';
import { TokenExchangeService } from './token-exchange.service.js';

/** Credentials, tokens and roles. Exports only IDENTITY_API. */
@Module({
  imports: [TypeOrmModule.forFeature([Account, RefreshToken, PasswordReset]), BullModule.registerQueue({ name: CREDENTIALS_PURGE_QUEUE })],
  controllers: [AuthController, JwksController, AccountsAdminController, TokenExchangeController],
  providers: [
    AccountsRepository,
    SessionsRepository,
    AccountsService,
    SessionsService,
    PasswordResetService,
    PasswordHasher,
    AccessTokenSigner,
    TokenExchangeService,
    CredentialsPurgeProcessor,
    AccessChangedListener,
    { provide: IDENTITY_API, useClass: IdentityFacade },
  ],
  exports: [IDENTITY_API],
})
export class IdentityModule {}
