import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CallContext } from '#contracts';
import { Caller, Roles } from '#platform';
import { migrationProgress } from '../progress/migration-progress.js';
import { BreakerNotOpenError, RouteNotFoundError } from './admin.errors.js';
import type { Actor } from './audit-log.js';
import { AuditQueryDto } from './audit-query.dto.js';
import { KillSwitchDto } from './kill-switch.dto.js';
import { ProxyRuntime } from './proxy-runtime.js';

const actor = (ctx: CallContext): Actor => ({ sub: ctx.userId ?? 'unknown' });

/** The strangler's control panel: admins only, tokens verified with the API's JWKS. */
@ApiTags('proxy admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('_proxy/admin')
export class ProxyAdminController {
  constructor(private readonly proxy: ProxyRuntime) {}

  @Get('routes') @ApiOperation({ summary: 'The route table in force, with each route\'s traffic, breaker and shadow results' })
  routes() {
    const { holder, traffic, breakers, shadow } = this.proxy;
    const snapshot = holder.snapshot();
    const shadows = new Map(shadow.view(snapshot.routes.map((r) => r.name)).map((view) => [view.route, view]));
    return {
      ...snapshot,
      routes: snapshot.routes.map((route) => {
        const { samples: _samples, ...shadowSummary } = shadows.get(route.name)!;
        return {
          ...route,
          live: {
            lastHour: traffic.counts(route.name, 'hour'),
            lastDay: traffic.counts(route.name, 'day'),
            breaker: breakers.view(route.name, route),
            shadow: shadowSummary.compared > 0 || route.mode === 'shadow' ? shadowSummary : null,
          },
        };
      }),
    };
  }

  @Patch('routes/:name') @ApiOperation({ summary: 'Change a route\'s mode, percent, group, rewrite, timeoutMs, shadow or breaker (null removes a field)' })
  update(@Caller() ctx: CallContext, @Param('name') name: string, @Body() patch: Record<string, unknown>) {
    return this.proxy.editor.update(name, patch ?? {}, actor(ctx));
  }

  @Put('kill-switch') @ApiOperation({ summary: 'engaged: every route to legacy; off: each back to its mode' })
  killSwitch(@Caller() ctx: CallContext, @Body() dto: KillSwitchDto) {
    return this.proxy.editor.setKillSwitch(dto.engaged, actor(ctx));
  }

  @Post('routes/:name/breaker/close') @HttpCode(200) @ApiOperation({ summary: 'Send a route whose breaker is open back to the API at once' })
  closeBreaker(@Caller() ctx: CallContext, @Param('name') name: string) {
    const { holder, breakers } = this.proxy;
    const route = holder.current.routes.find((r) => r.name === name);
    if (!route) throw new RouteNotFoundError(name);
    if (!breakers.close(name, ctx.userId ?? 'unknown')) throw new BreakerNotOpenError(name);
    return breakers.view(name, route);
  }

  @Get('shadow') @ApiOperation({ summary: 'Shadow comparisons per route: match rate, mismatches by kind, redacted samples' })
  shadow() {
    const { holder, shadow, promotion } = this.proxy;
    const names = holder.current.routes.filter((r) => r.mode === 'shadow').map((r) => r.name);
    const routes = [...new Set([...names, ...shadow.knownRoutes])];
    return { promotion, routes: shadow.view(routes).map((view) => ({ ...view, mode: holder.current.routes.find((r) => r.name === view.route)?.mode ?? null, gate: shadow.gate(view.route) })) };
  }

  @Get('progress') @ApiOperation({ summary: 'Migration progress: share of requests and routes served by the API, last hour and day' })
  progress() {
    const { holder, traffic, startedAt } = this.proxy;
    return migrationProgress(traffic, holder.current.routes, holder.current.killSwitch, startedAt);
  }

  @Get('audit') @ApiOperation({ summary: 'The latest routing changes, newest first' })
  audit(@Query() query: AuditQueryDto) {
    return this.proxy.audit.latest(query.limit);
  }
}
