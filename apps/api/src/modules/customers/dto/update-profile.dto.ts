import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Optional, PhoneNumber, RequiredText } from '#platform';

class ProfileDto {
  @RequiredText(100, 'Ada Lovelace') name!: string;
  @PhoneNumber() phone?: string | null;

  @ApiPropertyOptional({ description: 'Consent to marketing email; the time of each change is recorded' })
  @Optional()
  @IsBoolean()
  marketingConsent?: boolean;
}

/** Name, phone and marketing consent only; email and roles belong to identity and are refused here. */
export class UpdateProfileDto extends PartialType(ProfileDto, { skipNullProperties: false }) {}
