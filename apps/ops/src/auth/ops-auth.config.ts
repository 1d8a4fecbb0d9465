import { ConfigType } from '@nestjs/config';
import { featureConfig } from '@shop/platform';
import { z } from 'zod';
import { OpsCredential, parseOpsTokens, SHARED_TOKEN_ACTOR, tokenProblem } from './ops-tokens';

export const opsAuthConfigSchema = z
  .object({
    /** One shared token; its actor is `operator`. */
    OPS_TOKEN: z.string().optional(),
    /** Named tokens, `alice:<token>,bob:<token>`: history and audit say who did what. */
    OPS_TOKENS: z.string().optional(),
  })
  .transform((env, context) => {
    const credentials: OpsCredential[] = [];
    if (env.OPS_TOKEN !== undefined) {
      const problem = tokenProblem(env.OPS_TOKEN);
      if (problem) context.addIssue({ code: 'custom', path: ['OPS_TOKEN'], message: problem });
      else credentials.push({ actor: SHARED_TOKEN_ACTOR, token: env.OPS_TOKEN });
    }
    if (env.OPS_TOKENS !== undefined) {
      const parsed = parseOpsTokens(env.OPS_TOKENS);
      if (parsed.outcome === 'invalid') {
        context.addIssue({ code: 'custom', path: ['OPS_TOKENS'], message: parsed.problem });
      } else credentials.push(...parsed.credentials);
    }
    if (env.OPS_TOKEN === undefined && env.OPS_TOKENS === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['OPS_TOKEN'],
        message:
          'ops refuses to start without a token: set OPS_TOKEN (or OPS_TOKENS=alice:<token>,bob:<token>); /api needs it',
      });
    }
    return { credentials };
  });

export const opsAuthConfig = featureConfig('opsAuth', opsAuthConfigSchema, 'ops');

export type OpsAuthConfig = ConfigType<typeof opsAuthConfig>;
