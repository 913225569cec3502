// HS256 JSON Web Tokens signed with node:crypto, as the server's auth.jwt.hmac-secret verifies them.
import { createHmac } from 'node:crypto';

const base64url = (value) => Buffer.from(value).toString('base64url');

export function signJwt(claims, secret) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
