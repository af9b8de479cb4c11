import { ApiProperty } from '@nestjs/swagger';
import type { MovementKind } from '#contracts';

export class StockLevelDto {
  @ApiProperty({ example: 'main' }) location!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty({ description: 'onHand - reserved' }) available!: number;
}

export class MovementDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() location!: string;
  @ApiProperty({ enum: ['received', 'reserved', 'released', 'sold', 'returned', 'adjusted'] }) kind!: MovementKind;
  @ApiProperty({ description: 'Change to on hand' }) onHandDelta!: number;
  @ApiProperty({ description: 'Change to reserved' }) reservedDelta!: number;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The reservation reference (a checkout or order)' }) reference!: string | null;
  @ApiProperty({ description: 'User id, or "system"' }) actor!: string;
  @ApiProperty({ description: 'UTC, ISO 8601' }) at!: string;
}

class MovementPageDto {
  @ApiProperty({ type: [MovementDto] }) items!: MovementDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class StockViewDto {
  @ApiProperty({ example: 'TSHIRT-RED-M' }) sku!: string;
  @ApiProperty() onHand!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() available!: number;
  @ApiProperty({ type: [StockLevelDto] }) levels!: StockLevelDto[];
  @ApiProperty({ type: MovementPageDto, description: 'Newest first' }) movements!: MovementPageDto;
}
