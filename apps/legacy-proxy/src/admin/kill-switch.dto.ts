import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class KillSwitchDto {
  @ApiProperty({ description: 'true: every route to legacy; false: each route back to its mode' }) @IsBoolean() engaged!: boolean;
}
