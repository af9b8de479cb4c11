import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token of the last pair; it is used up by this call' })
  @IsString()
  @Length(16, 128)
  refreshToken!: string;
}
