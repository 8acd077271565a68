import type { Locale, Permission } from '@tianshu/contracts';
import type { Actor } from '../auth/actor.ts';

/**
 * Every /api route declares who may call it: 'public', 'session' (any signed-in user), or the
 * permissions of which the caller needs at least one. A route without it refuses to register.
 */
export type RouteAuth = 'public' | 'session' | Permission | readonly Permission[];

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Reachable while the user must change their password (me, password change, logout). */
    allowPasswordChange?: boolean;
  }
}
