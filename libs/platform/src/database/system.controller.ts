import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';

class MigrationStatus {
  @ApiProperty({ example: 1 }) applied!: number;
  @ApiProperty({ example: 'PlatformSchemas1795600000000', nullable: true, type: String }) last!: string | null;
}

class SystemStatus {
  @ApiProperty({ example: '2026-11-25T13:00:00.000Z', description: 'Database clock, UTC' }) databaseTime!: string;
  @ApiProperty({ type: MigrationStatus }) migrations!: MigrationStatus;
}

/** What this instance runs against: the migration state of its database and the database clock. */
@ApiTags('system')
@Public()
@Controller('system')
export class SystemController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('status')
  @ApiOperation({ summary: 'Database clock and applied migrations of this instance' })
  @ApiOkResponse({ type: SystemStatus })
  async status(): Promise<SystemStatus> {
    const [row] = (await this.dataSource.query(
      `SELECT now() AS now, (SELECT count(*)::int FROM migrations) AS applied,
              (SELECT name FROM migrations ORDER BY id DESC LIMIT 1) AS last`,
    )) as [{ now: Date; applied: number; last: string | null }];
    return { databaseTime: row.now.toISOString(), migrations: { applied: row.applied, last: row.last } };
  }
}
