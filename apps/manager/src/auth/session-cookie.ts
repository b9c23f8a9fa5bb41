// The session cookie: HttpOnly, SameSite=Lax, and Secure with the __Host-
// prefix when the public URL is https.
import type { FastifyReply } from 'fastify';
import type {} from '@fastify/cookie';
import { SESSION_ABSOLUTE_MS } from './sessions.service.js';

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-farm_session' : 'farm_session';
}

export function setSessionCookie(reply: FastifyReply, name: string, secure: boolean, value: string): void {
  void reply.setCookie(name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function clearSessionCookie(reply: FastifyReply, name: string, secure: boolean): void {
  void reply.clearCookie(name, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
