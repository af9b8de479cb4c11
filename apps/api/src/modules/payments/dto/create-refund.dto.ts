import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class CreateRefundDto {
  @ApiPropertyOptional({ description: 'Integer minor units; default: all captured and not yet refunded', minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(99_999_999)
  amount?: number;
}
