import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Patch,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { z } from 'zod';
import { BearerTokens } from '../http/bearer-tokens';
import { describeFaults, FaultPlan, FaultPlanSchema } from './fault-plan';
import { FaultSwitches } from './fault-switches';
import { FAULTS_SETTINGS, FaultsSettings } from './faults.config';

/** The actor recorded in the log for a change made with ADMIN_TOKEN. */
const ADMIN_ACTOR = 'admin';

/**
 * `/admin/faults`: read, add to and clear the faults this instance simulates (shopctl fault).
 * Answers 404 where it is off (production, unless ADMIN_API_ENABLED=true), so probing finds
 * nothing; elsewhere it needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */
@ApiExcludeController()
@Controller('admin/faults')
export class AdminFaultsController {
  private readonly tokens: BearerTokens;

  constructor(
    private readonly faults: FaultSwitches,
    @Inject(FAULTS_SETTINGS) private readonly settings: FaultsSettings,
  ) {
    this.tokens = new BearerTokens(
      settings.token ? [{ actor: ADMIN_ACTOR, token: settings.token }] : [],
    );
  }

  @Get()
  read(@Headers('authorization') authorization?: string) {
    this.authorize(authorization);
    return view(this.faults.plan);
  }

  /** Merges: faults not named stay as they are. */
  @Patch()
  set(@Body() body: unknown, @Headers('authorization') authorization?: string) {
    const actor = this.authorize(authorization);
    const changes = FaultPlanSchema.safeParse(body);
    if (!changes.success) throw new UnprocessableEntityException(z.prettifyError(changes.error));
    return view(this.faults.merge(changes.data, actor));
  }

  @Delete()
  @HttpCode(200)
  clear(@Headers('authorization') authorization?: string) {
    return view(this.faults.clear(this.authorize(authorization)));
  }

  private authorize(authorization: string | undefined): string {
    if (!this.settings.enabled) throw new NotFoundException();
    const token = this.tokens.check(authorization);
    if (token.outcome === 'missing')
      throw new UnauthorizedException('Authorization: Bearer <ADMIN_TOKEN> is required');
    if (token.outcome === 'invalid') throw new ForbiddenException('invalid token');
    return token.actor;
  }
}

function view(plan: FaultPlan) {
  return { faults: plan, active: describeFaults(plan) };
}
